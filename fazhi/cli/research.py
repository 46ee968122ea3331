"""The research tools on the marts: `fazhi export` (the panel for R, Stata, pandas), `fazhi plot` and
`fazhi codebook`."""
from __future__ import annotations

from pathlib import Path

import typer

from .app import app, console


@app.command()
def export(what: str = typer.Argument("panel", help="What to export: panel."),
           fmt: str = typer.Option("csv", "--format", "-f", help="csv, parquet or dta (Stata 118, UTF-8)."),
           out: Path = typer.Option(None, "--out", "-o", help="Output file (default exports/panel.FORMAT)."),
           wide: bool = typer.Option(False, help="One column per core indicator instead of the long panel.")) -> None:
    """Export the indicator panel (jurisdiction x year x indicator) for R, Stata or pandas.

    The values are the comparisons' (stated, else recomputed from counts; a correction wins), with
    chosen_source and the correction columns. CSV, Parquet and Stata get the same column names (at
    most 32 characters; the mapping to the marts' columns and their Chinese labels is written
    beside the file as NAME.columns.csv); empty numeric columns stay numeric; Stata gets Chinese
    variable labels, a data label and value labels for source_kind, scope, level, indicator_kind and
    chosen_source.
    """
    from fazhi.research.export import export_panel
    from fazhi.warehouse import engine

    if what != "panel":
        raise typer.BadParameter("only 'panel' can be exported", param_hint="WHAT")
    out = out or Path("exports") / f"panel{'_wide' if wide else ''}.{fmt}"
    with engine().connect() as conn:
        try:
            n = export_panel(conn, fmt, out, wide)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--format") from None
    from fazhi.research.export import mapping_path

    console.print(f"wrote {n} rows to {out} (columns: {mapping_path(out)})")


@app.command()
def plot(indicator: str = typer.Argument(..., help="Indicator code, e.g. litigation.head_appearance_rate."),
         year: int = typer.Option(..., "--year", "-y", help="Report year."),
         province: str = typer.Option(None, help="Limit to one province, e.g. 重庆市."),
         scope: str = typer.Option("jurisdiction", help="jurisdiction or government_as_party."),
         out: Path = typer.Option(Path("chart.png"), "--out", "-o", help="PNG file to write."),
         as_map: bool = typer.Option(False, "--map", help="A map of the provinces instead of bars: each coloured "
                                     "by the median of its places' values that year (offline, no download).")) -> None:
    """Draw a ranked bar chart of one indicator across jurisdictions, or with --map a province map
    (Chinese labels). An unknown indicator code is refused with the nearest codes, as `fazhi correct` does."""
    from fazhi.research.corrections import indicator as known_indicator  # the check `fazhi correct` makes
    from fazhi.research.plot import plot_indicator
    from fazhi.research.provmap import plot_map
    from fazhi.warehouse import engine

    if as_map and province:
        raise typer.BadParameter("a map shows every province: leave out --province", param_hint="--map")
    with engine().connect() as conn:
        known_indicator(conn, indicator)  # an unknown code: exit 2 with the nearest codes
        try:
            if as_map:
                n = plot_map(conn, indicator, year, out, scope)
            else:
                n = plot_indicator(conn, indicator, year, out, province, scope)
        except ValueError as exc:
            console.print(f"[red]{exc}[/]")
            raise typer.Exit(1) from None
    console.print(f"wrote {out} ({'provinces with a value: ' if as_map else ''}{n}{'' if as_map else ' bars'})")


@app.command()
def codebook(out: Path = typer.Option(Path("codebook"), "--out", "-o",
                                      help="Folder to write codebook.html and codebook.md into.")) -> None:
    """Write the codebook: every indicator (definition, unit, plausible range, the phrasings read,
    the views that use it), how each value is chosen, and every view's columns, as HTML and Markdown.

    Read from the catalogue (ingest/extract/indicators.yaml) and the dbt project's descriptions:
    no database needed.
    """
    from fazhi.research.codebook import write_codebook
    from fazhi.warehouse.dbt import DBT_DIR

    page, md, indicators, views = write_codebook(DBT_DIR, out)
    console.print(f"wrote {page} and {md} ({indicators} indicators, {views} views)")
