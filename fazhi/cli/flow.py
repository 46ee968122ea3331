"""The flow's commands: `fazhi parse` (no database), `fazhi ingest`, `fazhi build` (the main job) and
`fazhi migrate`."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .app import JOBS, NO_WAIT, REPARSE, app, console, jobs_option, lock, out

FOLLOW_LINKS = typer.Option(False, "--follow-links", help="Follow symbolic links below the folders given wherever "
                            "they lead (by default only links to files inside those folders are read).")

COMPARISONS = [
    ("marts.cmp_head_appearance_rate", "行政机关负责人出庭应诉率 Head-of-agency court appearance rate", "出庭", "开庭/案件"),
    ("marts.cmp_correction_rate", "行政复议纠错率 Reconsideration correction rate", "纠错", "审结/办理"),
]


@app.command()
def parse(files: list[Path] = typer.Argument(..., help="Report files (.txt, .html, .pdf, .docx ...) or folders."),
          json_out: bool = typer.Option(False, "--json", help="Print JSON Lines (the parse-output contract)."),
          keywords: bool = typer.Option(True, help="Tag measures with jieba keywords."),
          jobs: int | None = jobs_option("Parser processes."),
          follow_links: bool = FOLLOW_LINKS) -> None:
    """Parse report files without a database: metadata, measures and metrics.

    With --json, prints one JSON object per file in input order; a file that cannot be read
    gets `{"source": ..., "error": REASON}` and the command goes on. Exit status 0 when every
    file was read, 1 when some could not be.
    """
    from functools import partial

    from ingest.errors import EXIT_FILES_FAILED
    from ingest.parse import pipeline
    from ingest.read import Limits, discover, shown

    task = partial(_parse_found, with_keywords=keywords, limits=Limits.from_env())
    table = Table("file", "kind", "title", "jurisdiction", "year", "measures", "metrics", title="fazhi parse")
    failed = 0
    for f, row in pipeline.run(task, discover(files, follow_links), jobs or pipeline.default_jobs(),
                               lambda f: {"source": shown(f.path), "error": pipeline.DIED}):
        failed += "error" in row
        if json_out:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        elif "error" in row:
            table.add_row(escape(row["source"]), "", f"[red]{escape(row['error'])}[/]", "", "", "", "")
        else:
            j = row["jurisdiction"]
            table.add_row(escape(row["source"]), row["kind"], escape(row["title"] or "-"),
                          escape(f"{j['name'] or '?'} {j['code'] or ''}"), str(row["report_year"] or "-"),
                          str(len(row["measures"])), str(len(row["metrics"])))
    if not json_out:
        out.print(table)
    if failed:
        raise typer.Exit(EXIT_FILES_FAILED)


def _parse_found(found, **kw) -> dict:
    """parse --json's object for one file discover found, or for one it refused with its reason."""
    from ingest.parse import parse_json
    from ingest.read import shown

    if found.refused:
        return {"source": shown(found.path), "error": found.refused}
    return parse_json(found.path, **kw)


def _ingest(paths: list[Path], jobs: int | None = None, reparse: bool = False, follow_links: bool = False) -> int:
    """Ingest with a progress bar and a summary; returns the number of files that failed."""
    from fazhi.warehouse import engine
    from ingest.load import ingest_paths
    from ingest.read import discover

    files = list(discover(paths, follow_links))
    if not files:
        console.print("[yellow]No files found.[/]")
        return 0
    with Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=console) as progress:
        task = progress.add_task("", total=len(files))

        def step(outcome):
            progress.update(task, advance=1, description=escape(Path(outcome.source).name))

        summary = ingest_paths(engine(), paths, on_file=step, jobs=jobs, reparse=reparse, follow_links=follow_links)
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
        console.print(f"[dim]skipped {len(skipped)} hidden file(s): {escape(', '.join(skipped[:5]))}"
                      f"{' …' if len(skipped) > 5 else ''}[/]")
    for o in repaired:
        console.print(f"[yellow]warning[/] {escape(o.source)}: {escape('; '.join(o.warnings))}")
    failed = [o for o in summary.outcomes if o.status == "failed"]
    if failed:
        reasons = Table("file", "reason", title="failed files (recorded in core.ingest_failure)")
        for o in failed:
            reasons.add_row(escape(o.source), escape(o.reason or ""))
        console.print(reasons)
    return len(failed)


@app.command()
def ingest(paths: list[Path] = typer.Argument(..., help="Files or folders (every file below is read or "
                                                       "listed with the reason it cannot be)."),
           jobs: int | None = JOBS, no_wait: bool = NO_WAIT, reparse: bool = REPARSE,
           follow_links: bool = FOLLOW_LINKS) -> None:
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
    Only regular files are read; below a folder, a symbolic link is followed only to a target
    inside the folders given (--follow-links: anywhere). Files that cannot be read or loaded, and
    what is not read (FIFOs, devices, links out of the folders, broken links, link loops, folders
    that cannot be listed) are listed with their reason and recorded in core.ingest_failure; the
    batch goes on. A file name that is not UTF-8 is shown and stored with those bytes as \\xNN.
    Exit status 0 when every file loaded, 1 when some failed (see `fazhi --help` for all codes).
    """
    from fazhi.warehouse import migrate
    from ingest.errors import EXIT_FILES_FAILED

    with lock("ingest", no_wait):
        migrate()
        failed = _ingest(paths, jobs, reparse, follow_links)
    if failed:
        raise typer.Exit(EXIT_FILES_FAILED)


@app.command()
def build(paths: list[Path] = typer.Argument(None, help="Files or folders; default: the bundled samples."),
          dbt: bool = typer.Option(True, help="Run `dbt build` after ingesting."),
          min_confidence: float | None = typer.Option(
              None, "--min-confidence", min=0, max=1, show_default="FAZHI_MIN_CONFIDENCE, else 0.75",
              help="Compare only figures at least this likely right (0..1); the rest stay in fct_metric. "
                   "A new value rebuilds the per-report tables."),
          jobs: int | None = JOBS, no_wait: bool = NO_WAIT, reparse: bool = REPARSE,
          follow_links: bool = FOLLOW_LINKS) -> None:
    """The main job: migrate, ingest (the bundled samples by default), dbt build, show the views.

    Safe to run again and again (e.g. from cron): loaded reports are skipped, new ones are added,
    and the marts are rebuilt aside and swapped in only when the build succeeded, so dashboards
    never see them missing. Overlapping runs wait for each other. Figures whose confidence is
    below --min-confidence feed no comparison or panel until a researcher confirms them (fazhi
    correct). Exit status: 0 all done, 1 some files failed (the rest is loaded and built), 4 dbt
    failed (the previous marts stay).
    """
    from fazhi.warehouse import migrate
    from fazhi.warehouse.dbt import build_marts
    from fazhi.warehouse.dbt import min_confidence as threshold_of
    from ingest.errors import EXIT_DBT_FAILED, EXIT_FILES_FAILED
    from ingest.read import SAMPLES

    threshold = threshold_of(explicit=min_confidence) if dbt else None   # a bad setting fails before ingest
    with lock("build", no_wait):
        console.rule("[bold]1/3 migrate")
        migrate()
        console.rule("[bold]2/3 ingest")
        failed = _ingest(paths or [SAMPLES], jobs, reparse, follow_links)
        if dbt:
            console.rule("[bold]3/3 dbt build")
            code = build_marts(["build"], threshold=threshold)
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

    from fazhi.warehouse import engine

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
    from fazhi.warehouse import migrate as upgrade
    from fazhi.warehouse.database import check_revision

    check_revision(revision)
    with lock("migrate", no_wait):
        upgrade(revision)
    console.print(f"core schema at {revision}")
