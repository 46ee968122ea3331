"""`fazhi collect`: crawl the governments' report columns into a folder (fazhi.collect), and with
--ingest load what it holds."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from .app import JOBS, NO_WAIT, app, console, lock, out


@app.command()
def collect(
        url: str = typer.Option(None, "--url", help="The list page of one column (with --code)."),
        code: str = typer.Option("", "--code", help="The division code of the government the column belongs to "
                                                    "(6, 9 or 12 digits); files go under OUT/CODE/HOST/."),
        sources: Path = typer.Option(None, "--sources", help="A registry CSV of columns (url,code,name,pagination,"
                                                             "title_pattern); `--sources sample` shows the sample's path."),
        out_dir: Path = typer.Option(None, "--out", show_default="FAZHI_HOME/collected",
                                     help="Where files are saved, each with its FILE.source.json provenance."),
        take_all: bool = typer.Option(False, "--all", help="Every record of the column, not only titles naming a "
                                                           "法治政府建设 report with a year."),
        since: int = typer.Option(None, "--since", min=1980, max=2100, help="Only reports about this year or later "
                                                                          "(the year in the title)."),
        allow_domain: list[str] = typer.Option([], "--allow-domain", help="Another host the crawl may follow links "
                                                                          "to (repeat); by default it stays on the "
                                                                          "start page's host."),
        contact: str = typer.Option(None, "--contact", show_default="FAZHI_COLLECT_CONTACT",
                                    help="Your e-mail or web page, sent in the User-Agent so a site can reach you."),
        pagination: str = typer.Option("auto", "--pagination", help="With --url: auto, query (also ask for page N+1 "
                                                                    "of a ?page=N column) or none."),
        title_pattern: str = typer.Option(None, "--title-pattern", help="With --url: a regular expression titles "
                                                                         "must match instead of the built-in one."),
        ingest: bool = typer.Option(False, "--ingest", help="Then load the sites' folders as `fazhi ingest` does."),
        jobs: int | None = JOBS, no_wait: bool = NO_WAIT) -> None:
    """Collect report files from government sites: list pages, report pages and their attachments.

    Follows numbered list pages (index_1.html), ?page=N pages, page counts written by scripts
    (createPageHTML), records held in script CDATA, report pages and their pdf, doc, docx, wps,
    ofd and xls attachments; keeps the titles naming a 法治政府建设 report with a year unless
    --all. Politely: robots.txt obeyed, one connection per host, AutoThrottle's adaptive delay
    (FAZHI_COLLECT_DELAY, default 1 s), retries with backoff on 5xx and timeouts, files up to
    FAZHI_MAX_FILE_MB, never off the start host unless --allow-domain.

    Incremental and resumable: a rerun asks with If-None-Match / If-Modified-Since and saves only
    what changed; a crawl stopped (Ctrl-C, or even kill -9) continues where it was without
    fetching a saved file again. Every file gets a FILE.source.json sidecar (URL, the page that
    linked it, fetch time, status, type, ETag/Last-Modified, sha256), which `fazhi ingest` stores
    in core.report_source. Prints per site what was found, fetched, unchanged, skipped (why) and
    failed. Exit status 0 when nothing failed, 1 when some requests failed or the crawl was
    stopped before the end, 2 for a bad registry or option.
    """
    from fazhi import collect as crawl
    from fazhi.warehouse.config import fazhi_home
    from ingest.errors import EXIT_FILES_FAILED, EXIT_USAGE, FazhiError

    if sources is not None and str(sources) == "sample":
        console.print(f"The sample registry: {crawl.SAMPLE}")
        return
    if (url is None) == (sources is None):
        raise FazhiError("give either --url URL (with --code) or --sources REGISTRY.csv", EXIT_USAGE)
    chosen = ([crawl.source(url, code, pagination=pagination, title_pattern=title_pattern, where="--url")]
              if url is not None else crawl.load(sources))
    politeness = crawl.Politeness.from_env(contact)
    target = (out_dir or fazhi_home() / "collected").resolve()
    state = fazhi_home() / "collect" / hashlib.sha1(os.fsencode(target)).hexdigest()[:12]

    counts = {"saved": 0, "unchanged": 0, "failed": 0, "skipped": 0}
    with console.status("[bold]collect[/]: starting") as status:
        def on_event(event: str, detail: str) -> None:
            counts[event] = counts.get(event, 0) + 1
            status.update(f"[bold]collect[/]: {counts['saved']} saved, {counts['unchanged']} unchanged, "
                          f"{counts['failed']} failed  [dim]{escape(detail[-80:])}[/]")

        results = crawl.collect(chosen, target, state, politeness, take_all=take_all, since=since,
                                allow_domains=tuple(allow_domain), on_event=on_event)
    _summary(results, target)
    failed = sum(sum(r.failed.values()) for r in results)
    if any(r.stopped for r in results):
        console.print("[yellow]stopped before the end: run the same command again to resume where it stopped[/]")
        failed += 1
    if ingest:
        from fazhi.warehouse import migrate

        from .flow import _ingest

        folders = sorted({Path(p).parent for r in results for p in r.saved} |
                         {crawl.store_folder(target, s) for s in chosen if crawl.store_folder(target, s).is_dir()})
        with lock("ingest", no_wait):
            migrate()
            failed += _ingest(folders, jobs) if folders else 0
    if failed:
        raise typer.Exit(EXIT_FILES_FAILED)


def _summary(results, target: Path) -> None:
    table = Table("site", "code", "found", "fetched", "unchanged", "skipped (why)", "failed (why)",
                  title=f"collect summary: files in {target}")
    for r in results:
        table.add_row(escape(r.url), r.code or "-", str(r.found), f"[green]{r.fetched}[/]", str(r.unchanged),
                      escape(_reasons(r.skipped)), f"[red]{escape(_reasons(r.failed))}[/]" if r.failed else "0")
    out.print(table)


def _reasons(counts: dict[str, int]) -> str:
    if not counts:
        return "0"
    return f"{sum(counts.values())}: " + "; ".join(f"{n} {why}" for why, n in sorted(counts.items(), key=lambda kv: -kv[1]))
