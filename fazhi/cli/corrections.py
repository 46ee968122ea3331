"""Corrections of extracted figures: `fazhi correct` and `fazhi corrections list|revoke|export|import`.
The logic is in fazhi/research/corrections.py (CSV: sharing.py)."""
from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from .app import app, console, lock, out

APPLY_HINT = "The marts show it after the next build: fazhi dbt build (or fazhi build)."
BY = typer.Option(None, "--by", help="Who corrects (default: FAZHI_USER, else your login name).")

corrections_app = typer.Typer(help="List, revoke, export and import corrections (see `fazhi correct`).",
                              no_args_is_help=True)
app.add_typer(corrections_app, name="corrections")


@app.command()
def correct(report: str = typer.Argument(..., help="Report id (marts.fct_metric.report_id) or a file that was loaded."),
            indicator: str = typer.Argument(..., help="Indicator code, e.g. litigation.head_appearance_rate."),
            value: str = typer.Argument(None, help="The right value (with --delete: the false extracted value; "
                                                   "omitted: every figure of the indicator)."),
            scope: str = typer.Option("jurisdiction", "--scope", "-s",
                                      help="jurisdiction (area-wide) or government_as_party."),
            reason: str = typer.Option(..., "--reason", "-r", help="Why: kept with the correction and shown in "
                                                                   "fct_metric."),
            delete: bool = typer.Option(False, "--delete", help="The figure is false: delete it."),
            confirm: bool = typer.Option(False, "--confirm", help="The figure is right as extracted: confirm it "
                                                                  "(VALUE may be omitted when the report states one)."),
            add: bool = typer.Option(False, "--add", help="The parser missed the figure: add it (needs --evidence)."),
            evidence: str = typer.Option(None, "--evidence", "-e",
                                         help="The report's sentence stating the figure, quoted from its text "
                                              "(required with --add)."),
            by: str = BY) -> None:
    """Correct an extracted figure: set its value right, --delete a false one, or --add a missed one.

    The correction is kept in core.correction with who, when and why, apart from what ingest
    writes: it holds when the file is ingested again, when the report is re-parsed, and for later
    versions of the same document (same place, year, issuer and kind). dbt applies it on top of the
    extracted figures: marts.fct_metric shows the extracted and the corrected value with the
    correction's author, time and reason, and comparisons and panels use the corrected value. An
    added figure's evidence must be in the report's text and state the value. A figure below the
    confidence threshold (fct_metric.below_threshold) is compared once corrected or confirmed: a
    confirmation is a set that keeps the extracted value.

    Examples:

    - `fazhi correct 12 litigation.head_appearance_rate 96.39 --reason "报告误写, 据开庭与出庭数"`
    - `fazhi correct 12 legal_aid.cases --confirm --reason "核对原文无误"` (a confirmation)
    - `fazhi correct 12 reconsideration.handled 175 --delete --reason "含上年结转, 非本年办理数"`
    - `fazhi correct reports/x.pdf legal_aid.cases 482 --add -e "受理法律援助案件482件" --reason "漏抽"`
    """
    from fazhi.research.corrections import (Request, confirmed_value, default_user, find_report, parse_value,
                                            record, usage, written_unit)
    from fazhi.warehouse import engine, migrate
    from ingest.text import format_number

    if delete + add + confirm > 1:
        raise usage("--delete, --add and --confirm exclude each other")
    action = "delete" if delete else "add" if add else "confirm" if confirm else "set"
    with lock("correct", False):
        migrate()
        with engine().begin() as conn:
            found = find_report(conn, report)
            number = parse_value(value)
            if confirm and number is None:
                number = confirmed_value(conn, found, indicator, scope)
            req = Request(action, indicator, scope, number, reason, by or default_user(), evidence,
                          written_unit(value))
            correction_id, extracted = record(conn, found, req)
    value = "every figure" if req.value is None else format_number(req.value)
    # No value in the marts: its figures are below the confidence threshold (a set brings one in:
    # with the same value, a confirmation), or the marts were not built since it was loaded.
    before = "(no value in the marts: below the confidence threshold, or not built yet)" if extracted is None \
        else format_number(extracted)
    what = {"set": f"{before} -> {value}", "add": f"added {value}", "delete": f"deleted {value}",
            "confirm": f"confirmed {value}"}[action]
    console.print(f"correction {correction_id}: {found.label}: {indicator} ({scope}) {what}, by {req.by}.",
                  soft_wrap=True, highlight=False)
    console.print(APPLY_HINT)


@corrections_app.command("list")
def list_cmd(revoked: bool = typer.Option(False, "--all", help="Include revoked corrections.")) -> None:
    """The corrections in force (or all), newest first, with whether their report is loaded."""
    from fazhi.research.corrections import listing
    from fazhi.warehouse import engine, migrate
    from ingest.text import format_number

    migrate()
    with engine().connect() as conn:
        rows = listing(conn, revoked)
    table = Table("id", "action", "place", "year", "indicator", "scope", "extracted", "value", "by", "at", "reason",
                  "report loaded", title=f"corrections ({'all' if revoked else 'in force'})")
    num = lambda v: "" if v is None else format_number(v)
    for r in rows:
        state = "" if r["revoked_at"] is None else f" [dim](revoked {r['revoked_at']:%Y-%m-%d})[/]"
        table.add_row(str(r["correction_id"]), r["action"] + state, r["jurisdiction_name"] or "?",
                      str(r["report_year"] or ""), r["indicator_code"], r["scope"], num(r["extracted_value"]),
                      num(r["value"]), r["corrected_by"], f"{r['corrected_at']:%Y-%m-%d %H:%M}", r["reason"],
                      "yes" if r["report_loaded"] else "no")
    out.print(table)


@corrections_app.command()
def revoke(correction_id: int = typer.Argument(..., help="The correction's id (fazhi corrections list)."),
           by: str = BY) -> None:
    """Revoke a correction: the extracted figure is used again from the next build. The
    correction stays on record (fazhi corrections list --all) and is exported as revoked."""
    from fazhi.research.corrections import default_user, revoke as do_revoke
    from fazhi.warehouse import engine, migrate

    with lock("corrections revoke", False):
        migrate()
        with engine().begin() as conn:
            do_revoke(conn, correction_id, by or default_user())
    console.print(f"correction {correction_id} revoked. {APPLY_HINT}")


@corrections_app.command("export")
def export_cmd(out_file: Path = typer.Option(Path("exports/corrections.csv"), "--out", "-o",
                                             help="CSV file to write (UTF-8 with BOM, opens in Excel).")) -> None:
    """Export every correction (revoked ones too) to CSV, to share with another team. Text cells
    that a spreadsheet would run as a formula (beginning with = + - @, a tab or a carriage return)
    are written with a ' in front; `fazhi corrections import` takes it off again."""
    from fazhi.research.sharing import export_csv
    from fazhi.warehouse import engine, migrate

    migrate()
    with engine().connect() as conn:
        n = export_csv(conn, out_file)
    console.print(f"wrote {n} corrections to {out_file}")


@corrections_app.command("import")
def import_cmd(csv_file: Path = typer.Argument(..., exists=True, dir_okay=False,
                                               help="A CSV from `fazhi corrections export`.")) -> None:
    """Import corrections from CSV: new ones are added with their original author, time and reason,
    revocations are applied, corrections already here are left as they are (safe to repeat). Each
    row is checked as `fazhi correct` checks a correction (value finite and in the indicator's range
    and unit). All or nothing: a file with a bad row imports nothing and lists every bad row, one
    line each (exit 2); so does a file that is not UTF-8 CSV."""
    from fazhi.research.sharing import import_csv
    from fazhi.warehouse import engine, migrate

    with lock("corrections import", False):
        migrate()
        with engine().begin() as conn:
            done = import_csv(conn, csv_file)
    console.print(f"{done.added} added, {done.revoked} revoked, {done.unchanged} already here. {APPLY_HINT}")
