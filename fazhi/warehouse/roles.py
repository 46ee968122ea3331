"""Read-only roles for dashboards: read marts and marts_zh, nothing else, write nothing.

Each reader is a login role in the NOLOGIN group `fazhi_readers`, which holds the grants. Views
dbt replaces in place get them through default privileges; a build swapped in as new schemas
(dbt.py) gets them from `carry_grants`.

Read-only by rights alone: SELECT and USAGE on the marts, no other table right, no CREATE on any
schema or the database, no TEMP, no large-object functions. `default_transaction_read_only` is
set too, but a reader can switch it off (and Postgres lets every login role persist its own
session defaults and password with ALTER ROLE): nothing rests on it.
"""
from __future__ import annotations

import re

from sqlalchemy import Connection, text

from .passwords import scram_verifier

READER_SCHEMAS = ("marts", "marts_zh")
READERS_GROUP = "fazhi_readers"
# Databases of the embedded server a reader must not enter. On an external server fazhi only
# touches its own database: other databases keep their own CONNECT grants.
EMBEDDED_OTHER_DATABASES = ("postgres", "template1")
# Names Postgres reserves or reads as something else than a role.
RESERVED_NAMES = {"public", "none", "current_user", "session_user", "current_role", "user", "postgres",
                  READERS_GROUP}
# Every function that creates, writes or removes a large object (the fast-path protocol libpq's
# lo_* client calls use is checked against the same EXECUTE right).
LARGE_OBJECT_FUNCTIONS = """
    select p.oid::regprocedure::text from pg_proc p
    where p.pronamespace = 'pg_catalog'::regnamespace
      and (p.proname like 'lo\\_%' or p.proname in ('lowrite', 'loread'))
    order by 1"""
WRITE_RIGHTS = "INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER"


def _quote_ident(conn: Connection, name: str) -> str:
    return conn.execute(text("select quote_ident(:n)"), {"n": name}).scalar()


def check_role_name(name: str) -> str:
    """A name a reader role can have, or ValueError saying why not (before any database work)."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise ValueError(f"role name {name!r}: lower-case letters, digits and _ only, at most 63, not starting "
                         f"with a digit")
    if name in RESERVED_NAMES or name.startswith("pg_"):
        raise ValueError(f"role name {name!r} is reserved (public, none, postgres, {READERS_GROUP}, pg_*, "
                         f"current_user...): choose another, e.g. metabase")
    return name


def ensure_readers_group(conn: Connection) -> None:
    # DO block: a concurrent creator must not make this fail.
    conn.execute(text(f"do $$ begin create role {READERS_GROUP} nologin; "
                      f"exception when duplicate_object then null; end $$"))


def grant_readers_on(conn: Connection, schemas: tuple[str, ...] | list[str] = READER_SCHEMAS) -> None:
    """Let fazhi_readers read every table and view of `schemas`, also those created later."""
    ensure_readers_group(conn)
    for schema in schemas:
        s = _quote_ident(conn, schema)
        conn.execute(text(f"grant usage on schema {s} to {READERS_GROUP}"))
        conn.execute(text(f"grant select on all tables in schema {s} to {READERS_GROUP}"))
        # dbt replaces views on every run: new views get the grant too.
        conn.execute(text(f"alter default privileges in schema {s} grant select on tables to {READERS_GROUP}"))


def _may_not_take_over(conn: Connection, name: str) -> str | None:
    """Why an existing role `name` must not become a reader (None: new, or a reader already)."""
    row = conn.execute(text("""
        select r.rolsuper or r.rolcreaterole or r.rolcreatedb or r.rolreplication or r.rolbypassrls,
               r.rolname = current_user or r.oid = (select datdba from pg_database where datname = current_database()),
               array(select g.rolname::text from pg_auth_members m join pg_roles g on g.oid = m.roleid
                     where m.member = r.oid) = array[:g]
        from pg_roles r where r.rolname = :n"""), {"n": name, "g": READERS_GROUP}).first()
    if row is None:
        return None
    privileged, writer, reader = row
    if privileged or writer:
        return f"{name} is the role fazhi writes as, the database's owner or a privileged role"
    if not reader:
        return f"{name} is an existing role that is more than a fazhi reader (other memberships, or not a reader)"
    return None


def confine_database(conn: Connection) -> None:
    """Take from PUBLIC, in this database, what would let a reader write: temp tables, objects in
    public, large objects. The database's owner and the role running fazhi keep them (dbt uses
    temp tables). Safe to repeat."""
    db = _quote_ident(conn, conn.execute(text("select current_database()")).scalar())
    owner = _quote_ident(conn, conn.execute(text(
        "select pg_get_userbyid(datdba) from pg_database where datname = current_database()")).scalar())
    conn.execute(text(f"revoke temporary on database {db} from public"))
    conn.execute(text(f"grant temporary on database {db} to {owner}, current_user"))
    conn.execute(text("revoke create on schema public from public"))
    for function in conn.execute(text(LARGE_OBJECT_FUNCTIONS)).scalars():
        conn.execute(text(f"revoke execute on function {function} from public"))
        conn.execute(text(f"grant execute on function {function} to {owner}, current_user"))


def write_rights(conn: Connection, name: str) -> list[str]:
    """What role `name` could still write or create in this database: empty for a confined reader.
    (On a server where fazhi's role is not a superuser, it may not be able to revoke all.)"""
    return list(conn.execute(text(f"""
        select 'temp tables' where has_database_privilege(:n, current_database(), 'TEMP')
        union all select 'schemas' where has_database_privilege(:n, current_database(), 'CREATE')
        union all select 'objects in schema ' || quote_ident(nspname) from pg_namespace
            where has_schema_privilege(:n, oid, 'CREATE')
        union all select 'rows of ' || c.oid::regclass::text from pg_class c
            where c.relkind in ('r', 'p', 'v', 'm', 'f') and has_table_privilege(:n, c.oid, '{WRITE_RIGHTS}')
              and c.oid <> 'pg_settings'::regclass  -- UPDATE on it is SET: the session's own settings
        union all select 'sequence ' || c.oid::regclass::text from pg_class c
            where case when c.relkind = 'S' then has_sequence_privilege(:n, c.oid, 'USAGE, UPDATE') end
        union all select 'large objects (' || f || ')' from ({LARGE_OBJECT_FUNCTIONS}) lo(f)
            where has_function_privilege(:n, f, 'EXECUTE')"""), {"n": name}).scalars())


def grant_reader(conn: Connection, name: str, password: str,
                 other_databases: tuple[str, ...] = EMBEDDED_OTHER_DATABASES) -> list[str]:
    """Create or update login role `name` with `password`, a member of fazhi_readers. Returns what
    it could still write (see `write_rights`): empty when fazhi could confine it.

    `other_databases`: databases of the same server PUBLIC may no longer connect to (pass () on a
    server fazhi does not own). ValueError: a name that cannot be a reader.
    """
    check_role_name(name)
    why = _may_not_take_over(conn, name)
    if why:
        raise ValueError(f"{why}: choose a new role name for the reader")
    # The server only ever sees the SCRAM verifier, never the password itself.
    verifier = scram_verifier(password)
    role = _quote_ident(conn, name)
    exists = conn.execute(text("select 1 from pg_roles where rolname = :n"), {"n": name}).first()
    verb = "alter" if exists else "create"
    # exec_driver_sql: the verifier's colons would read as bind parameters in text().
    conn.exec_driver_sql(f"{verb} role {role} login inherit nosuperuser nocreatedb nocreaterole noreplication "
                         f"nobypassrls password '{verifier}'")
    ensure_readers_group(conn)
    conn.execute(text(f"grant {READERS_GROUP} to {role}"))
    db = _quote_ident(conn, conn.execute(text("select current_database()")).scalar())
    conn.execute(text(f"grant connect on database {db} to {READERS_GROUP}"))
    confine_database(conn)
    for other in other_databases:
        conn.execute(text(f"revoke connect on database {_quote_ident(conn, other)} from public"))
    for schema in READER_SCHEMAS:
        conn.execute(text(f"create schema if not exists {schema}"))
    grant_readers_on(conn, READER_SCHEMAS)
    # Whatever session defaults the reader persisted for itself (ALTER ROLE ... SET) go.
    conn.execute(text(f"alter role {role} reset all"))
    conn.execute(text(f"alter role {role} in database {db} reset all"))
    conn.execute(text(f"alter role {role} set default_transaction_read_only = on"))
    return write_rights(conn, name)


def carry_grants(conn: Connection, old: str, new: str) -> None:
    """Whoever could read the old schema (reader roles, grants made by hand) can read the new one."""
    roles = conn.execute(text("""
        select distinct r.rolname from pg_namespace n cross join lateral aclexplode(n.nspacl) a
        join pg_roles r on r.oid = a.grantee
        where n.nspname = :s and a.privilege_type = 'USAGE' and not r.rolsuper"""), {"s": old}).scalars().all()
    for role in roles:
        conn.execute(text(f'grant usage on schema "{new}" to "{role}"'))
        conn.execute(text(f'grant select on all tables in schema "{new}" to "{role}"'))
        conn.execute(text(f'alter default privileges in schema "{new}" grant select on tables to "{role}"'))


# fazhi web's own role: what reviewers do through the page is done with this role's rights alone.
WEB_ROLE = "fazhi_web"
WEB_READS = ("report", "report_source", "measure", "metric", "jurisdiction", "indicator", "correction", "reviewer")


def grant_web_role(conn: Connection, password: str) -> None:
    """Create or update the login role `fazhi web` connects as, with `password` (a fresh one each
    start): it reads what the pages show (core's reports, figures and corrections, the marts and
    per_report's chosen values) and writes corrections only (INSERT, and UPDATE of the revocation
    columns, on core.correction). No other write right, no lock, no DDL: a bug or an injected query
    in the web app cannot touch the extracted figures or the marts. Safe to repeat."""
    why = _may_not_take_over(conn, WEB_ROLE)
    if why and "more than a fazhi reader" not in why:
        raise ValueError(f"{why}: fazhi web needs {WEB_ROLE} for itself")
    verifier = scram_verifier(password)
    exists = conn.execute(text("select 1 from pg_roles where rolname = :n"), {"n": WEB_ROLE}).first()
    conn.exec_driver_sql(f"{'alter' if exists else 'create'} role {WEB_ROLE} login inherit nosuperuser nocreatedb "
                         f"nocreaterole noreplication nobypassrls password '{verifier}'")
    grant_web_rights(conn)
    conn.execute(text(f"alter role {WEB_ROLE} reset all"))


def grant_web_rights(conn: Connection) -> None:
    """The web role's rights (grant_web_role), given again: after a first build, whose schemas
    had no grants to carry over."""
    db = _quote_ident(conn, conn.execute(text("select current_database()")).scalar())
    conn.execute(text(f"grant connect on database {db} to {WEB_ROLE}"))
    confine_database(conn)
    conn.execute(text(f"grant usage on schema core to {WEB_ROLE}"))
    for table in WEB_READS:
        conn.execute(text(f"grant select on core.{table} to {WEB_ROLE}"))
    conn.execute(text(f"grant insert, update (revoked_at, revoked_by) on core.correction to {WEB_ROLE}"))
    sequence = conn.execute(text("select pg_get_serial_sequence('core.correction', 'correction_id')")).scalar()
    conn.execute(text(f"grant usage on sequence {sequence} to {WEB_ROLE}"))
    # The marts as a dashboard reads them; the schemas are made now so a first build carries the
    # grants over (dbt.swap), as grant_reader does.
    for schema in READER_SCHEMAS:
        conn.execute(text(f"create schema if not exists {schema}"))
    grant_readers_on(conn, READER_SCHEMAS)
    conn.execute(text(f"grant {READERS_GROUP} to {WEB_ROLE}"))
    # The value the marts had, kept with a correction (research.corrections._value_in_marts).
    if conn.execute(text("select 1 from pg_namespace where nspname = 'per_report'")).first():
        conn.execute(text(f"grant usage on schema per_report to {WEB_ROLE}"))
        conn.execute(text(f"grant select on all tables in schema per_report to {WEB_ROLE}"))
