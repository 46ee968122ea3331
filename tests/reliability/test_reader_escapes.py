"""A dashboard's reader role (fazhi grant-reader) reads the marts and nothing else: every way to
write, to create, to raise its rights or to block the writers is refused, by rights alone
(default_transaction_read_only is switched off first: a reader can do that). On a real
warehouse built by `fazhi build`, the reader connected with the URL grant-reader prints."""
from __future__ import annotations

import subprocess
import sys
import psycopg
import pytest
from sqlalchemy import text

from conftest import ROOT, SEEDS
from fazhi.warehouse import engine
from runs import LIMIT, fazhi, no_traceback

pytestmark = pytest.mark.db

READER = "escape_reader"
PASSWORD = "Escape-Reader-Pw-1"
OLD_LOCK_KEY = 0x66617A6869  # the advisory key fazhi's writers once took: anyone can take it
DENIED = psycopg.errors.InsufficientPrivilege
# Postgres refuses these before it looks at rights: a view it cannot write through, or a
# statement on a view that only tables take. Such a refusal holds whatever is granted, so the
# catalogue check (test_no_write_right_anywhere) covers those relations.
VIEW_REFUSALS = (psycopg.errors.ObjectNotInPrerequisiteState, psycopg.errors.WrongObjectType,
                 psycopg.errors.FeatureNotSupported)


def grant(name: str = READER, password: str = PASSWORD) -> subprocess.CompletedProcess:
    return fazhi("grant-reader", name, "--password-stdin", input=password + "\n")


@pytest.fixture(scope="module")
def warehouse(fresh_schema):
    run = fazhi("build", *map(str, SEEDS), timeout=3 * LIMIT)
    assert run.returncode == 0, run.stderr[-2000:]
    made = grant()
    no_traceback(made)
    assert made.returncode == 0 and made.stdout.startswith(f"postgresql://{READER}:"), made.stderr
    assert "warning" not in made.stderr  # fazhi could take every write right away
    return made.stdout.splitlines()[0]


@pytest.fixture
def reader(warehouse):
    with psycopg.connect(warehouse, connect_timeout=30) as conn:
        assert conn.execute("select current_user").fetchone() == (READER,)
        # What a reader can always do: nothing below may rest on it.
        conn.execute("set default_transaction_read_only = off")
        conn.commit()
        yield conn


def refused(conn: psycopg.Connection, sql: str, also=()) -> None:
    """`sql` fails for lack of rights (or, with `also`, for those reasons), changing nothing."""
    if sql.startswith("create database"):  # runs outside a transaction only
        conn.rollback()
        conn.autocommit = True
        try:
            conn.execute(sql)
        except DENIED:
            return
        finally:
            conn.autocommit = False
        raise AssertionError(f"the reader could run: {sql}")
    try:
        with conn.transaction():
            if sql.startswith("copy ") and "from stdin" in sql:
                with conn.cursor().copy(sql):
                    pass
            else:
                conn.execute(sql)
            raise Ran  # rolls back what it did: a broken build must not spoil the other cases
    except (DENIED, *also):
        return
    except Ran:
        raise AssertionError(f"the reader could run: {sql}") from None


class Ran(Exception):
    pass


def relations() -> list[tuple[str, str, str, str]]:
    """(schema, name, kind, first column) of every table and view fazhi and dbt made."""
    with engine().connect() as conn:
        return [tuple(r) for r in conn.execute(text("""
            select quote_ident(n.nspname), quote_ident(c.relname), c.relkind,
                   (select quote_ident(attname) from pg_attribute where attrelid = c.oid and attnum = 1)
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where c.relkind in ('r', 'p', 'v', 'm') and n.nspname not in ('pg_catalog', 'information_schema')
              and n.nspname not like 'pg\\_%'
            order by 1, 2""")).all()]


def schemas() -> list[str]:
    with engine().connect() as conn:
        return conn.execute(text("""select quote_ident(nspname) from pg_namespace
                                    where nspname not like 'pg\\_toast%' and nspname not like 'pg\\_temp%'
                                    order by 1""")).scalars().all()


def test_the_reader_reads_the_marts(reader):
    assert reader.execute("select count(*) from marts.cmp_head_appearance_rate").fetchone()[0] >= 1
    assert reader.execute('select count(*) from marts_zh."复议纠错率"').fetchone()[0] >= 1


def test_no_row_of_any_table_or_view_can_be_written(reader):
    rels = relations()
    assert {"marts", "marts_zh", "core", "staging"} <= {s for s, *_ in rels}
    for schema, name, kind, column in rels:
        rel = f"{schema}.{name}"
        also = VIEW_REFUSALS if kind in ("v", "m") else ()
        refused(reader, f"insert into {rel} select * from {rel} where false", also)
        refused(reader, f"update {rel} set {column} = {column} where false", also)
        refused(reader, f"delete from {rel} where false", also)
        refused(reader, f"truncate {rel}", also)
        refused(reader, f"select * from {rel} for update", also)
        if kind in ("r", "p"):
            refused(reader, f"copy {rel} from stdin")


def test_no_write_right_anywhere(reader):
    # A grant by a role without the right is a warning, not an error: the rights must stay as they were.
    reader.execute("grant insert, update, delete, truncate on all tables in schema marts to current_user")
    reader.commit()
    rows = reader.execute("""
        select c.oid::regclass::text from pg_class c
        where c.relkind in ('r', 'p', 'v', 'm', 'f')
          and has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES')
          and c.oid <> 'pg_settings'::regclass  -- everyone's: UPDATE on it is SET, for the session
        union all select c.oid::regclass::text from pg_class c
        where case when c.relkind = 'S' then has_sequence_privilege(c.oid, 'USAGE, UPDATE') end""").fetchall()
    assert rows == []


def test_nothing_can_be_created_in_any_schema(reader):
    names = schemas()
    assert {"marts", "marts_zh", "core", "public", "staging", "fazhi_lock"} <= set(names)
    for s in names:
        refused(reader, f"create table {s}.escaped (a int)")
        refused(reader, f"create view {s}.escaped as select 1 as a")
        refused(reader, f"create function {s}.escaped() returns int language sql as 'select 1'")
        refused(reader, f"create sequence {s}.escaped")
        refused(reader, f"create type {s}.escaped as (a int)")
    refused(reader, "create table escaped (a int)")  # wherever search_path points
    refused(reader, "create temp table escaped (a int)")
    refused(reader, "create temporary view escaped as select 1")
    refused(reader, "create schema escaped")
    refused(reader, "create database escaped")
    refused(reader, "create role escaped")
    refused(reader, "copy (select 1) to '/tmp/fazhi-escaped'")


def test_no_large_object_can_be_made(reader):
    for sql in ("select lo_create(0)", "select lo_creat(-1)", "select lo_from_bytea(0, 'escaped'::bytea)",
                "select lo_import('/etc/hostname')", "select lo_put(1, 0, 'x'::bytea)", "select lo_unlink(1)",
                "select lo_export(1, '/tmp/fazhi-escaped')", "select count(*) from pg_largeobject"):
        refused(reader, sql)
    with engine().connect() as conn:
        assert conn.execute(text(f"select count(*) from pg_largeobject_metadata "
                                 f"where lomowner = '{READER}'::regrole")).scalar() == 0


def test_no_way_to_another_role(reader, database_url):
    with engine().connect() as conn:
        writer = conn.execute(text("select quote_ident(current_user)")).scalar()
        owner = conn.execute(text("select quote_ident(pg_get_userbyid(datdba)) from pg_database "
                                  "where datname = current_database()")).scalar()
    for role in {writer, owner, "postgres"}:
        refused(reader, f"set role {role}")
        refused(reader, f"set session authorization {role}")
        refused(reader, f"grant {role} to current_user")
    refused(reader, "alter role current_user superuser")
    refused(reader, "alter role current_user createrole")


def test_persisted_session_defaults_give_no_right(warehouse):
    """Postgres lets every login role persist its own session defaults (ALTER ROLE current_user
    SET): the reader may, but a new session of it still writes nothing; grant-reader resets them."""
    with psycopg.connect(warehouse, autocommit=True) as conn:
        conn.execute("set default_transaction_read_only = off")
        conn.execute("alter role current_user set default_transaction_read_only = off")
        conn.execute("alter role current_user set search_path = public, marts")
        for sql in ("alter role current_user set role = 'postgres'",
                    "alter role current_user set session_authorization = 'postgres'"):
            try:
                conn.execute(sql)
            except DENIED:
                pass
    try:
        with psycopg.connect(warehouse) as conn:
            assert conn.execute("select current_user, session_user").fetchone() == (READER, READER)
            assert conn.execute("show default_transaction_read_only").fetchone() == ("off",)
            refused(conn, "create table escaped (a int)")
            refused(conn, "select lo_from_bytea(0, 'escaped'::bytea)")
            table = next(f"{s}.{n}" for s, n, kind, _ in relations() if s == "marts" and kind == "r")
            refused(conn, f"delete from {table}")
    finally:
        again = grant()
        assert again.returncode == 0, again.stderr
    with engine().connect() as conn:
        settings = conn.execute(text("select s.setconfig from pg_db_role_setting s where s.setrole = cast(:r as regrole)"),
                                {"r": READER}).scalars().all()
    assert settings == [["default_transaction_read_only=on"]]


def _writer_pid() -> int:
    with engine().connect() as conn:
        return conn.execute(text("""select l.pid from pg_locks l where l.locktype = 'relation' and l.granted
                                    and l.relation = 'fazhi_lock.writer'::regclass""")).scalar()


def test_the_reader_cannot_block_or_stop_the_writers(reader):
    # The reader holds fazhi's old advisory key (anyone may take an advisory lock): writers go on.
    assert reader.execute("select pg_try_advisory_lock(%s)", (OLD_LOCK_KEY,)).fetchone() == (True,)
    try:
        run = fazhi("ingest", "--no-wait", str(SEEDS[0]))
        no_traceback(run)
        assert run.returncode == 0 and "busy" not in run.stderr, run.stderr
        refused(reader, "lock table fazhi_lock.writer in exclusive mode")
        refused(reader, "lock table fazhi_lock.writer in access share mode")
        # While a writer holds the lock, the reader can neither end nor cancel its session.
        holder = subprocess.Popen([sys.executable, "-c", HOLD_THE_LOCK], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout.readline().strip() == "holding"
            pid = _writer_pid()
            assert pid
            refused(reader, f"select pg_terminate_backend({pid})")
            refused(reader, f"select pg_cancel_backend({pid})")
            busy = fazhi("migrate", "--no-wait")
            assert busy.returncode == 5 and "holder" in busy.stderr, busy.stderr  # the real lock still works
        finally:
            holder.kill()
            holder.wait()
    finally:
        reader.execute("select pg_advisory_unlock_all()")


HOLD_THE_LOCK = """
import time
from fazhi.warehouse.lock import warehouse_lock
with warehouse_lock("holder"):
    print("holding", flush=True)
    time.sleep(300)
"""


def test_grant_reader_does_not_take_over_other_roles(warehouse):
    with engine().begin() as conn:
        writer = conn.execute(text("select current_user")).scalar()
        conn.execute(text("drop role if exists escape_app"))
        conn.execute(text("create role escape_app login createdb"))
    for name in (writer, "escape_app"):
        run = grant(name, "Other-Pw-1")
        no_traceback(run)
        assert run.returncode == 2 and len(run.stderr.strip().splitlines()) == 1, run.stderr
    with engine().connect() as conn:
        assert conn.execute(text("select rolcreatedb from pg_roles where rolname = 'escape_app'")).scalar()
    with engine().begin() as conn:
        conn.execute(text("drop role escape_app"))
