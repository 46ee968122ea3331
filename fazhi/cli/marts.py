"""`fazhi dbt`: dbt on the marts with fazhi's database setting (whole builds built aside and swapped in)."""
from __future__ import annotations

import typer

from .app import app, lock


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def dbt(ctx: typer.Context) -> None:
    """Run dbt with fazhi's database setting, e.g. `fazhi dbt build` or `fazhi dbt docs generate`.

    A whole `build` or `run` is built aside and swapped in when it succeeds (readers never see
    the marts missing; exit 4 and the old marts stay when it fails). With a selection (--select,
    --exclude...) dbt runs in place. Runs that write wait for the warehouse lock.
    The confidence threshold: `--vars '{min_confidence: 0.8}'`, else FAZHI_MIN_CONFIDENCE, else
    dbt_project.yml's 0.75; a new threshold rebuilds the per-report tables.
    """
    from fazhi.warehouse.dbt import build_marts, check_in_place_threshold, is_whole_build, run_dbt
    from ingest.errors import EXIT_DBT_FAILED

    args = list(ctx.args)
    if is_whole_build(args):
        with lock("dbt " + args[0], False):
            code = build_marts(args)
        raise typer.Exit(EXIT_DBT_FAILED if code else 0)
    if args and args[0] in ("build", "run", "seed", "snapshot"):
        check_in_place_threshold(args)
        with lock("dbt " + args[0], False):
            raise typer.Exit(run_dbt(args))
    raise typer.Exit(run_dbt(args))
