"""One writer at a time: ingests, builds and migrations take the warehouse lock.

A Postgres advisory lock on its own connection, so it serialises runs on any machine that shares
the database (cron overlapping a manual build) and is released by the server the moment its
holder dies, even by kill -9: a crashed run never leaves the warehouse locked.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import text

from ingest.errors import EXIT_BUSY, FazhiError

from .database import engine

LOCK_KEY = 0x66617A6869  # "fazhi"
APP_PREFIX = "fazhi"


def _holder(conn) -> str:
    row = conn.execute(text("""
        select a.application_name, a.client_addr, a.backend_start from pg_locks l
        join pg_stat_activity a on a.pid = l.pid
        where l.locktype = 'advisory' and l.granted and l.objid = :lo and l.classid = :hi
        limit 1"""), {"lo": LOCK_KEY & 0xFFFFFFFF, "hi": LOCK_KEY >> 32}).first()
    if row is None:
        return "another fazhi run"
    return f"{row[0] or 'another client'} since {row[2]:%H:%M:%S}"


@contextmanager
def warehouse_lock(command: str, wait: bool = True,
                   on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the lock for the body; wait for it (telling `on_wait` who holds it) or fail fast."""
    conn = engine().connect().execution_options(isolation_level="AUTOCOMMIT")
    try:
        # Who holds it is shown to the next run that has to wait.
        conn.execute(text("select set_config('application_name', :n, false)"),
                     {"n": f"{APP_PREFIX} {command} (pid {os.getpid()})"[:63]})
        if not conn.execute(text("select pg_try_advisory_lock(:k)"), {"k": LOCK_KEY}).scalar():
            holder = _holder(conn)
            if not wait:
                raise FazhiError(f"the warehouse is busy: {holder} holds the lock; run again when it ends "
                                 f"(or drop --no-wait to wait for it)", EXIT_BUSY)
            if on_wait:
                on_wait(holder)
            conn.execute(text("select pg_advisory_lock(:k)"), {"k": LOCK_KEY})
        yield
    finally:
        try:
            conn.execute(text("select pg_advisory_unlock_all()"))
        finally:
            conn.close()
