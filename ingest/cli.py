"""fazhi: indicator warehouse for 法治政府建设年度报告 (rule-of-law government annual reports).

Start with `fazhi build` (samples -> Postgres -> dbt views), then `fazhi ingest FOLDER` for your own report files and `fazhi psql` to query the marts. The database is $DATABASE_URL, or an embedded Postgres in .fazhi/pgdata.

Exit status: 0 done; 1 some files failed (the rest loaded); 2 wrong command line; 3 could not run (database, disk or FAZHI_HOME problem: one line says which and how to fix it); 4 dbt failed (the previous marts stay); 5 the warehouse is busy and --no-wait was given.
"""
from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

warnings.filterwarnings("ignore", module="platformdirs")

app = typer.Typer(help=__doc__, no_args_is_help=True, add_completion=False, pretty_exceptions_show_locals=False,
                  rich_markup_mode="markdown",
                  context_settings={"help_option_names": ["-h", "--help"]})
console = Console(stderr=True)
# Piped output (cron logs, CI) gets a width that fits the tables instead of 80 columns.
out = Console() if sys.stdout.isatty() else Console(width=150)

COMPARISONS = [
    ("marts.cmp_head_appearance_rate", "行政机关负责人出庭应诉率 Head-of-agency court appearance rate", "出庭", "开庭/案件"),
    ("marts.cmp_correction_rate", "行政复议纠错率 Reconsideration correction rate", "纠错", "审结/办理"),
]


@app.command()
def parse(files: list[Path] = typer.Argument(..., help="Report files (.txt, .html, .pdf, .docx ...) or folders."),
          json_out: bool = typer.Option(False, "--json", help="Print JSON Lines (the parse-output contract)."),
          keywords: bool = typer.Option(True, help="Tag measures with jieba keywords."),
          jobs: int | None = typer.Option(None, "--jobs", "-j", min=1, show_default="every core",
                                          help="Parser processes.")) -> None:
    """Parse report files without a database: metadata, measures and metrics.

    With --json, prints one JSON object per file in input order; a file that cannot be read
    gets {"source": ..., "error": "<reason>"} and the command goes on.
    """
    from functools import partial

    from . import pipeline
    from .batch import discover
    from .limits import Limits
    from .parse import parse_json

    task = partial(parse_json, with_keywords=keywords, limits=Limits.from_env())
    table = Table("file", "kind", "title", "jurisdiction", "year", "measures", "metrics", title="fazhi parse")
    for f, row in pipeline.run(task, discover(files), jobs or pipeline.default_jobs(),
                               lambda f: {"source": str(f), "error": pipeline.DIED}):
        if json_out:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        elif "error" in row:
            table.add_row(str(f), "", f"[red]{row['error']}[/]", "", "", "", "")
        else:
            j = row["jurisdiction"]
            table.add_row(str(f), row["kind"], row["title"] or "-", f"{j['name'] or '?'} {j['code'] or ''}",
                          str(row["report_year"] or "-"), str(len(row["measures"])), str(len(row["metrics"])))
    if not json_out:
        out.print(table)


JOBS = typer.Option(None, "--jobs", "-j", min=1, show_default="every core",
                    help="Parser processes (one loader writes to Postgres).")
NO_WAIT = typer.Option(False, "--no-wait", help="Exit with code 5 instead of waiting when another run holds the warehouse.")
REPARSE = typer.Option(False, "--reparse", help="Parse files loaded before again (after upgrading fazhi) and replace "
                                                "their reports; alternate files and corrections stay.")


def _lock(command: str, no_wait: bool):
    from .lock import warehouse_lock

    return warehouse_lock(command, wait=not no_wait,
                          on_wait=lambda holder: console.print(f"[yellow]waiting for {holder} to finish...[/]"))


def _ingest(paths: list[Path], jobs: int | None = None, reparse: bool = False) -> int:
    """Ingest with a progress bar and a summary; returns the number of files that failed."""
    from .batch import discover, ingest_paths

    files = list(discover(paths))
    if not files:
        console.print("[yellow]No files found.[/]")
        return 0
    with Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=console) as progress:
        task = progress.add_task("", total=len(files))

        def step(outcome):
            progress.update(task, advance=1, description=Path(outcome.source).name)

        summary = ingest_paths(paths, on_file=step, jobs=jobs, reparse=reparse)
    table = Table("status", "files", title="ingest summary")
    for status, colour in (("loaded", "green"), ("reparsed", "green"), ("alternate", "green"), ("present", "cyan"),
                           ("skipped", "dim"), ("failed", "red")):
        if status in ("loaded", "present", "failed") or summary.count(status):
            table.add_row(f"[{colour}]{status}[/]", str(summary.count(status)))
    repaired = [o for o in summary.outcomes if o.warnings]
    if repaired:
        table.add_row("[yellow]with warnings[/]", str(len(repaired)))
    console.print(table)
    if summary.count("alternate"):
        console.print(f"{summary.count('alternate')} file(s) carry a report already loaded from another file "
                      "(another format or encoding): recorded in core.report_source, figures counted once.")
    skipped = [o.source for o in summary.outcomes if o.status == "skipped"]
    if skipped:
        console.print(f"[dim]skipped {len(skipped)} hidden file(s): {', '.join(skipped[:5])}"
                      f"{' …' if len(skipped) > 5 else ''}[/]")
    for o in repaired:
        console.print(f"[yellow]warning[/] {o.source}: {'; '.join(o.warnings)}")
    failed = [o for o in summary.outcomes if o.status == "failed"]
    if failed:
        reasons = Table("file", "reason", title="failed files (recorded in core.ingest_failure)")
        for o in failed:
            reasons.add_row(o.source, o.reason or "")
        console.print(reasons)
    return len(failed)


@app.command()
def ingest(paths: list[Path] = typer.Argument(..., help="Files or folders (every file below is read or "
                                                       "listed with the reason it cannot be)."),
           jobs: int | None = JOBS, no_wait: bool = NO_WAIT, reparse: bool = REPARSE) -> None:
    """Parse and load reports into Postgres: parsed in parallel (--jobs), loaded in batches.

    Each report is all-or-nothing: a batch Postgres refuses is written again report by report,
    so one bad report is recorded and the others load.

    Formats: text (any Chinese encoding), saved web pages, PDF, Word (.docx; .doc/.wps/.rtf with
    LibreOffice), page images with tesseract. A report is identified by its text: the same report
    in another file (format, encoding) is recorded as an alternate source, not loaded twice.
    Re-ingesting a file already loaded adds nothing and does not read it again; with --reparse
    it is parsed again (e.g. after upgrading fazhi) and its report replaced, each report in one
    transaction: its rows are loaded again under a new report id, its alternate files stay, and
    researchers' corrections (fazhi correct) apply to the new rows.
    Files that cannot be read or loaded are listed with their reason and recorded in
    core.ingest_failure; the batch goes on. Exit status 0 when every file loaded, 1 when some
    failed (see `fazhi --help` for all codes).
    """
    from .errors import EXIT_FILES_FAILED
    from .load import migrate

    with _lock("ingest", no_wait):
        migrate()
        failed = _ingest(paths, jobs, reparse)
    if failed:
        raise typer.Exit(EXIT_FILES_FAILED)


@app.command()
def build(paths: list[Path] = typer.Argument(None, help="Files or folders; default: the bundled samples."),
          dbt: bool = typer.Option(True, help="Run `dbt build` after ingesting."),
          jobs: int | None = JOBS, no_wait: bool = NO_WAIT, reparse: bool = REPARSE) -> None:
    """The main job: migrate, ingest (the bundled samples by default), dbt build, show the views.

    Safe to run again and again (e.g. from cron): loaded reports are skipped, new ones are added,
    and the marts are rebuilt aside and swapped in only when the build succeeded, so dashboards
    never see them missing. Overlapping runs wait for each other. Exit status: 0 all done,
    1 some files failed (the rest is loaded and built), 4 dbt failed (the previous marts stay).
    """
    from .batch import SAMPLES
    from .dbt import build_marts
    from .errors import EXIT_DBT_FAILED, EXIT_FILES_FAILED
    from .load import migrate

    with _lock("build", no_wait):
        console.rule("[bold]1/3 migrate")
        migrate()
        console.rule("[bold]2/3 ingest")
        failed = _ingest(paths or [SAMPLES], jobs, reparse)
        if dbt:
            console.rule("[bold]3/3 dbt build")
            code = build_marts(["build"])
            if code:
                console.print(f"[red]dbt build failed (exit {code}); the previous marts are still in place.[/]")
                raise typer.Exit(EXIT_DBT_FAILED)
    if dbt:
        for view, title, num, den in COMPARISONS:
            show_view(view, title, num, den)
    if failed:
        raise typer.Exit(EXIT_FILES_FAILED)


SHOW_ROWS = 30   # a national warehouse has tens of thousands: the terminal gets a sample, SQL the rest


def show_view(view: str, title: str, num: str, den: str) -> None:
    from sqlalchemy import text

    from .load import engine

    sql = text(f"""select jurisdiction_name, report_year, numerator_count, denominator_count, reported_rate,
                   recomputed_rate, gap_points, gov_chosen_rate, count(*) over () as total from {view}
                   order by province, level, report_year, jurisdiction_name limit {SHOW_ROWS}""")
    with engine().connect() as conn:
        rows = conn.execute(sql).all()
    total = rows[0].total if rows else 0
    shown = f" (first {len(rows)} of {total} rows: fazhi psql for all)" if total > len(rows) else ""
    table = Table("地区 jurisdiction", "年 year", num, den, "reported %", "recomputed %", "gap", "gov-as-party %",
                  title=f"{view}: {title}{shown}")
    fmt = lambda v: "" if v is None else f"{v:g}" if isinstance(v, (int, float)) else f"{float(v):g}"
    for r in rows:
        table.add_row(r[0], str(r[1]), *(fmt(v) for v in r[2:8]))
    out.print(table)


@app.command()
def migrate(revision: str = typer.Argument("head", help="Alembic revision to upgrade to."),
            no_wait: bool = NO_WAIT) -> None:
    """Upgrade the core schema (Alembic)."""
    from .load import migrate as upgrade

    with _lock("migrate", no_wait):
        upgrade(revision)
    console.print(f"core schema at {revision}")


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def dbt(ctx: typer.Context) -> None:
    """Run dbt with fazhi's database setting, e.g. `fazhi dbt build` or `fazhi dbt docs generate`.

    A whole `build` or `run` is built aside and swapped in when it succeeds (readers never see
    the marts missing; exit 4 and the old marts stay when it fails). With a selection (--select,
    --exclude...) dbt runs in place. Runs that write wait for the warehouse lock.
    """
    from .dbt import build_marts, is_whole_build, run_dbt
    from .errors import EXIT_DBT_FAILED

    args = list(ctx.args)
    if is_whole_build(args):
        with _lock("dbt " + args[0], False):
            code = build_marts(args)
        raise typer.Exit(EXIT_DBT_FAILED if code else 0)
    if args and args[0] in ("build", "run", "seed", "snapshot"):
        with _lock("dbt " + args[0], False):
            raise typer.Exit(run_dbt(args))
    raise typer.Exit(run_dbt(args))


@app.command()
def export(what: str = typer.Argument("panel", help="What to export: panel."),
           fmt: str = typer.Option("csv", "--format", "-f", help="csv, parquet or dta (Stata 118, UTF-8)."),
           out: Path = typer.Option(None, "--out", "-o", help="Output file (default exports/panel.FORMAT)."),
           wide: bool = typer.Option(False, help="One column per core indicator instead of the long panel.")) -> None:
    """Export the indicator panel (jurisdiction x year x indicator) for R, Stata or pandas."""
    from .export import export_panel
    from .load import engine

    if what != "panel":
        raise typer.BadParameter("only 'panel' can be exported", param_hint="WHAT")
    out = out or Path("exports") / f"panel{'_wide' if wide else ''}.{fmt}"
    with engine().connect() as conn:
        try:
            n = export_panel(conn, fmt, out, wide)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--format") from None
    console.print(f"wrote {n} rows to {out}")


@app.command()
def plot(indicator: str = typer.Argument(..., help="Indicator code, e.g. litigation.head_appearance_rate."),
         year: int = typer.Option(..., "--year", "-y", help="Report year."),
         province: str = typer.Option(None, help="Limit to one province, e.g. 重庆市."),
         scope: str = typer.Option("jurisdiction", help="jurisdiction or government_as_party."),
         out: Path = typer.Option(Path("chart.png"), "--out", "-o", help="PNG file to write.")) -> None:
    """Draw a ranked bar chart of one indicator across jurisdictions (Chinese labels)."""
    from .load import engine
    from .plot import plot_indicator

    with engine().connect() as conn:
        try:
            n = plot_indicator(conn, indicator, year, out, province, scope)
        except ValueError as exc:
            console.print(f"[red]{exc}[/]")
            raise typer.Exit(1) from None
    console.print(f"wrote {out} ({n} bars)")


@app.command()
def status() -> None:
    """Row counts of the core tables (documents by kind) and the files that failed."""
    from sqlalchemy import text

    from .load import engine, migrate as upgrade, report_kinds, table_counts

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


# The warehouse's server and roles: db-url, db-env, psql, db-stop, serve, grant-reader.
from . import cli_server  # noqa: E402,F401  (registers its commands on `app`)
# Corrections of extracted figures: correct, corrections list|revoke|export|import.
from . import cli_corrections  # noqa: E402,F401


def main() -> None:
    """Console entry point: every problem ends in one clear line and a documented exit code."""
    from sqlalchemy.exc import DBAPIError

    from rich.markup import escape

    from .errors import EXIT_CANNOT_RUN, FazhiError, os_error

    try:
        app()
    except FazhiError as exc:
        console.print(f"[red]{escape(str(exc))}[/]", highlight=False, soft_wrap=True)
        raise SystemExit(exc.code) from None
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc).splitlines()[0]
        console.print(f"[red]database error[/] ({_where()}): {reason}")
        raise SystemExit(EXIT_CANNOT_RUN) from None
    except OSError as exc:
        console.print(f"[red]{escape(str(os_error(exc, exc.filename or 'a file', 'use')))}[/]", highlight=False,
                      soft_wrap=True)
        raise SystemExit(EXIT_CANNOT_RUN) from None


def _where() -> str:
    import os

    return "DATABASE_URL" if os.environ.get("DATABASE_URL") else "embedded Postgres in .fazhi/pgdata"


if __name__ == "__main__":
    # `python -m ingest.cli`: run the app of the imported module, where cli_server registered its commands.
    from ingest.cli import main as _main

    _main()
