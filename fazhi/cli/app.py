"""fazhi: indicator warehouse for 法治政府建设年度报告 (rule-of-law government annual reports).

Start with `fazhi build` (samples -> Postgres -> dbt views), then `fazhi ingest FOLDER` for your own report files and `fazhi psql` to query the marts. The database is $DATABASE_URL, or an embedded Postgres in $FAZHI_HOME/pgdata (default .fazhi/pgdata).

Exit status: 0 done; 1 some files failed (the rest loaded); 2 wrong command line; 3 could not run (database, disk or FAZHI_HOME problem: one line says which and how to fix it); 4 dbt failed (the previous marts stay); 5 the warehouse is busy and --no-wait was given.
"""
# The docstring above is `fazhi --help`. This module holds the one Typer app and what its command
# modules share (consoles, options, the warehouse lock); fazhi.cli registers the commands.
from __future__ import annotations

import sys
import warnings

import typer
from rich.console import Console

warnings.filterwarnings("ignore", module="platformdirs")

app = typer.Typer(help=__doc__, no_args_is_help=True, add_completion=False, pretty_exceptions_show_locals=False,
                  rich_markup_mode="markdown",
                  context_settings={"help_option_names": ["-h", "--help"]})
console = Console(stderr=True)
# Piped output (cron logs, CI) gets a width that fits the tables instead of 80 columns.
out = Console() if sys.stdout.isatty() else Console(width=150)

JOBS_PER_CORE = 4  # parsing is CPU-bound: more processes than this only cost memory and forks


def cap_jobs(jobs: int | None) -> int | None:
    """--jobs as given, or at most JOBS_PER_CORE per core (saying so in one line)."""
    from ingest.parse.pipeline import default_jobs

    cap = JOBS_PER_CORE * default_jobs()
    if jobs is not None and jobs > cap:
        console.print(f"[yellow]--jobs {jobs} is more than {JOBS_PER_CORE} per core: using {cap}[/]")
        return cap
    return jobs


def jobs_option(help: str = "Parser processes (one loader writes to Postgres).") -> typer.Option:
    return typer.Option(None, "--jobs", "-j", min=1, callback=cap_jobs,
                        show_default=f"every core, at most {JOBS_PER_CORE} per core", help=help)


JOBS = jobs_option()
NO_WAIT = typer.Option(False, "--no-wait", help="Exit with code 5 instead of waiting when another run holds the warehouse.")
REPARSE = typer.Option(False, "--reparse", help="Parse files loaded before again (after upgrading fazhi) and replace "
                                                "their reports; alternate files and corrections stay.")


def lock(command: str, no_wait: bool):
    from fazhi.warehouse.lock import warehouse_lock

    return warehouse_lock(command, wait=not no_wait,
                          on_wait=lambda holder: console.print(f"[yellow]waiting for {holder} to finish...[/]"))
