"""The `fazhi` command: one Typer app (app.py), one module per group of commands.

flow.py         parse, ingest, build, migrate
collect.py      collect (the crawler, fazhi.collect)
marts.py        dbt
research.py     export, plot, codebook
warehouse.py    status, db-url, db-env, psql, db-stop, serve, grant-reader
corrections.py  correct, corrections list|revoke|export|import
web.py          web (the review pages, fazhi/web/) and its reviewers
"""
from __future__ import annotations

from .app import app, console
# Importing a command module registers its commands on `app`; this order is the order of --help.
from . import flow, collect, marts, research, warehouse, corrections, web  # noqa: F401  isort: skip

__all__ = ["app", "main"]


def main() -> None:
    """Console entry point: every problem ends in one clear line and a documented exit code."""
    from sqlalchemy.exc import DBAPIError

    from rich.markup import escape

    from ingest.children import sweep
    from ingest.errors import EXIT_CANNOT_RUN, FazhiError, os_error

    sweep()  # what a run killed with -9 left: LibreOffice's folders, and any soffice still on them
    try:
        app()
    except FazhiError as exc:
        console.print(f"[red]{escape(str(exc))}[/]", highlight=False, soft_wrap=True)
        raise SystemExit(exc.code) from None
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc).splitlines()[0]
        console.print(f"[red]database error[/] ({escape(_where())}): {escape(reason)}", highlight=False,
                      soft_wrap=True)
        raise SystemExit(EXIT_CANNOT_RUN) from None
    except OSError as exc:
        console.print(f"[red]{escape(str(os_error(exc, exc.filename or 'a file', 'use')))}[/]", highlight=False,
                      soft_wrap=True)
        raise SystemExit(EXIT_CANNOT_RUN) from None


def _where() -> str:
    from fazhi.warehouse.config import fazhi_home, is_embedded

    return f"embedded Postgres in {fazhi_home() / 'pgdata'}" if is_embedded() else "DATABASE_URL"
