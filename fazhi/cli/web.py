"""`fazhi web`: the review pages (fazhi/web/), and its reviewers."""
from __future__ import annotations

import sys

import typer

from .app import app, console, out

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@app.command()
def web(host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on. Another than 127.0.0.1 "
                                 "lets other machines reach the page (a warning says so): put TLS in front."),
        port: int = typer.Option(8022, "--port", "-p", min=1, max=65535, help="Port to listen on."),
        add_reviewer: str = typer.Option(None, "--add-reviewer", metavar="NAME",
                                         help="Add a reviewer (or give one a new password), print the generated "
                                              "password once, and exit."),
        password_stdin: bool = typer.Option(False, "--password-stdin",
                                            help="With --add-reviewer: read the password from stdin instead."),
        remove_reviewer: str = typer.Option(None, "--remove-reviewer", metavar="NAME",
                                            help="Let a reviewer in no more (their corrections keep their name)."),
        list_reviewers: bool = typer.Option(False, "--list-reviewers", help="List the reviewers and exit."),
        session_hours: float = typer.Option(8.0, "--session-hours", min=0.01, max=24 * 30,
                                            help="A login lasts this long; then the reviewer logs in again."),
        secure_cookies: bool = typer.Option(False, "--secure-cookies",
                                            help="Mark the session cookie Secure (when served behind HTTPS)."),
        allow_host: list[str] = typer.Option(None, "--allow-host", help="Host name the browser may use besides "
                                             "the --host address and localhost (repeatable); others get 400.")) -> None:
    """Review figures in the browser: a queue of the figures that need a person, each report's text
    with its figures highlighted at their evidence (confirm, correct, delete, add a missed one;
    keyboard: j/k c e d a n ?), each place across years, and the corrections log with CSV export
    and import. Corrections are the same as `fazhi correct`'s (core.correction); the page offers
    the incremental build when the marts are older than the last correction.

    Reviewers log in with a name and password: add them first with `--add-reviewer NAME` (a
    generated password is printed once) or `--add-reviewer NAME --password-stdin`. Passwords are
    kept as scrypt hashes in the warehouse. The page listens on 127.0.0.1 only unless --host says
    otherwise; the server connects to the warehouse as the role fazhi_web, which may write
    corrections and nothing else. See docs/web.md.
    """
    from fazhi.warehouse import engine, migrate
    from fazhi.warehouse.passwords import new_password

    from fazhi.web.access import add_reviewer as add, remove_reviewer as remove, reviewers

    if add_reviewer or remove_reviewer or list_reviewers:
        migrate()
        with engine().begin() as conn:
            if list_reviewers:
                names = reviewers(conn)
                out.print("\n".join(names) if names else "no reviewers yet: fazhi web --add-reviewer NAME")
                return
            if remove_reviewer:
                if not remove(conn, remove_reviewer):
                    raise typer.BadParameter(f"no reviewer {remove_reviewer!r}", param_hint="--remove-reviewer")
                console.print(f"{remove_reviewer} can no longer log in.")
                return
            password = sys.stdin.readline().rstrip("\r\n") if password_stdin else new_password()
            new = add(conn, add_reviewer, password)
        console.print(f"reviewer {add_reviewer} {'added' if new else 'has a new password'}.")
        if not password_stdin:
            out.print(f"password (shown once): {password}", highlight=False)
        return
    if password_stdin:
        raise typer.BadParameter("--password-stdin goes with --add-reviewer NAME", param_hint="--password-stdin")
    _serve(host, port, session_hours, secure_cookies, tuple(allow_host or ()))


def _serve(host: str, port: int, session_hours: float, secure_cookies: bool, allow: tuple[str, ...]) -> None:
    import uvicorn

    from fazhi.warehouse import engine
    from fazhi.warehouse.config import database_url
    from fazhi.warehouse.dbt import min_confidence
    from fazhi.web.access import reviewers
    from fazhi.web.app import Settings, create_app
    from fazhi.web.build import Builder, prepare, real_build

    threshold = min_confidence()
    web_url = prepare(database_url())
    with engine().connect() as conn:
        if not reviewers(conn):
            console.print("[yellow]no reviewer can log in yet: add one with fazhi web --add-reviewer NAME[/]")
    if host not in LOCAL_HOSTS:
        console.print(f"[yellow]listening on {host}: other machines can reach the review page. Serve it behind "
                      f"TLS (and use --secure-cookies), or keep the default 127.0.0.1.[/]")
    hosts = ("127.0.0.1", "localhost", "[::1]", host if ":" not in host else f"[{host}]", *allow)
    app = create_app(Settings(web_url, session_seconds=int(session_hours * 3600), allowed_hosts=hosts,
                              https_only=secure_cookies, default_threshold=threshold,
                              builder=Builder(real_build(threshold))))
    console.print(f"fazhi web on http://{host if ':' not in host else f'[{host}]'}:{port}/ (Ctrl+C stops it)")
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False, proxy_headers=False)
