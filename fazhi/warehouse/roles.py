"""Read-only roles for dashboards: read marts and marts_zh, nothing else, write nothing.

Each reader is a login role in the NOLOGIN group `fazhi_readers`, which holds the grants. Views
dbt replaces in place get them through default privileges; a build swapped in as new schemas
(dbt.py) gets them from `carry_grants`.
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


def _quote_ident(conn: Connection, name: str) -> str:
    return conn.execute(text("select quote_ident(:n)"), {"n": name}).scalar()


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


def grant_reader(conn: Connection, name: str, password: str,
                 other_databases: tuple[str, ...] = EMBEDDED_OTHER_DATABASES) -> None:
    """Create or update login role `name` with `password`, a member of fazhi_readers.

    `other_databases`: databases of the same server PUBLIC may no longer connect to (pass () on a
    server fazhi does not own).
    """
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name) or name in (READERS_GROUP, "postgres"):
        raise ValueError("role name: lower-case letters, digits and _ only (not postgres or fazhi_readers)")
    # The server only ever sees the SCRAM verifier, never the password itself.
    verifier = scram_verifier(password)
    exists = conn.execute(text("select 1 from pg_roles where rolname = :n"), {"n": name}).first()
    verb = "alter" if exists else "create"
    # exec_driver_sql: the verifier's colons would read as bind parameters in text().
    conn.exec_driver_sql(f"{verb} role {name} login inherit nosuperuser nocreatedb nocreaterole noreplication "
                         f"nobypassrls password '{verifier}'")
    ensure_readers_group(conn)
    conn.execute(text(f"grant {READERS_GROUP} to {name}"))
    db = _quote_ident(conn, conn.execute(text("select current_database()")).scalar())
    owner = _quote_ident(conn, conn.execute(text(
        "select pg_get_userbyid(datdba) from pg_database where datname = current_database()")).scalar())
    conn.execute(text(f"grant connect on database {db} to {READERS_GROUP}"))
    # No temp tables for readers: TEMPORARY comes from PUBLIC by default; the owner and the role
    # running fazhi (dbt uses temp tables) keep it.
    conn.execute(text(f"revoke temporary on database {db} from public"))
    conn.execute(text(f"grant temporary on database {db} to {owner}, current_user"))
    conn.execute(text("revoke create on schema public from public"))
    for other in other_databases:
        conn.execute(text(f"revoke connect on database {_quote_ident(conn, other)} from public"))
    for schema in READER_SCHEMAS:
        conn.execute(text(f"create schema if not exists {schema}"))
    grant_readers_on(conn, READER_SCHEMAS)
    conn.execute(text(f"alter role {name} set default_transaction_read_only = on"))


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
