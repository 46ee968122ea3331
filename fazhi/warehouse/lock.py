"""One writer at a time: ingests, builds and migrations take the warehouse lock.

A table lock on `fazhi_lock.writer`, held by a transaction on its own connection for as long as
the run writes. It serialises runs on any machine that shares the database (cron overlapping a
manual build) and the server releases it the moment its holder dies, even by kill -9: a crashed
run never leaves the warehouse locked. Only a role with rights on that table can take it, so a
dashboard's read-only role cannot block the writers (an advisory lock's key anyone can take).
The transaction takes no snapshot and no transaction id: held for hours it holds back no vacuum.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError

from ingest.errors import EXIT_BUSY, FazhiError

from .database import engine

LOCK_SCHEMA = "fazhi_lock"
LOCK_TABLE = f"{LOCK_SCHEMA}.writer"
APP_PREFIX = "fazhi"
LOCK_NOT_AVAILABLE = "55P03"
# A server or role default must not end the lock's transaction while a long build holds it.
_TIMEOUTS = ("lock_timeout", "statement_timeout", "idle_in_transaction_session_timeout", "transaction_timeout")


def ensure_lock_table(conn: Connection) -> None:
    """Create the lock's table (empty; no rights for anyone else), whoever comes first."""
    conn.execute(text(f"""do $$ begin
        if to_regclass('{LOCK_TABLE}') is null then  -- CREATE SCHEMA checks rights even when it exists
            create schema if not exists {LOCK_SCHEMA};
            create table if not exists {LOCK_TABLE} ();
        end if;
        exception when duplicate_schema or duplicate_table or unique_violation then null; end $$"""))


def _holder(conn: Connection) -> str:
    row = conn.execute(text(f"""
        select a.application_name, a.xact_start from pg_locks l join pg_stat_activity a on a.pid = l.pid
        where l.locktype = 'relation' and l.relation = '{LOCK_TABLE}'::regclass and l.granted
          and l.mode = 'ExclusiveLock' and l.pid <> pg_backend_pid()
        limit 1""")).first()
    if row is None:
        return "another fazhi run"
    since = f" since {row[1]:%H:%M:%S}" if row[1] else ""
    return f"{row[0] or 'another client'}{since}"


def _begin_holding(conn: Connection) -> None:
    present = conn.execute(text("select name from pg_settings where name = any(:n)"),
                           {"n": list(_TIMEOUTS)}).scalars()
    for name in present:
        conn.execute(text("select set_config(:n, '0', true)"), {"n": name})


def _try_lock(conn: Connection) -> bool:
    _begin_holding(conn)
    try:
        conn.execute(text(f"lock table {LOCK_TABLE} in exclusive mode nowait"))
        return True
    except OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) != LOCK_NOT_AVAILABLE:
            raise
        conn.rollback()
        return False


@contextmanager
def warehouse_lock(command: str, wait: bool = True,
                   on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the lock for the body; wait for it (telling `on_wait` who holds it) or fail fast."""
    conn = engine().connect()
    try:
        # Who holds it is shown to the next run that has to wait.
        conn.execute(text("select set_config('application_name', :n, false)"),
                     {"n": f"{APP_PREFIX} {command} (pid {os.getpid()})"[:63]})
        ensure_lock_table(conn)
        conn.commit()
        if not _try_lock(conn):
            holder = _holder(conn)
            conn.rollback()
            if not wait:
                raise FazhiError(f"the warehouse is busy: {holder} holds the lock; run again when it ends "
                                 f"(or drop --no-wait to wait for it)", EXIT_BUSY)
            if on_wait:
                on_wait(holder)
            _begin_holding(conn)
            conn.execute(text(f"lock table {LOCK_TABLE} in exclusive mode"))
        yield
    finally:
        try:
            conn.rollback()
        finally:
            conn.close()
