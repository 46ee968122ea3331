"""Query contexts for the bundle's charts, built from their params when the bundle is zipped.

Superset's chart-data API (`GET /api/v1/chart/ID/data`: alerts, reports, embedding, CSV) runs
the query context saved with a chart and answers 400 without one. Superset's UI saves it when a
chart is saved; a chart imported from YAML has none unless the file carries it. So dashboard.py
builds one for every chart, from the chart's own params: the source of truth stays the params
(what the dashboard renders from), and a context can never be stale. The dataset is named by its
uuid (the API accepts one), so the same ZIP works in any Superset, whatever local ids it assigns.

They are written into the chart files (`query_context:`), so the bundle carries them whichever
way it is imported (dashboard.py, Superset's UI): `python3 bi/superset/querycontext.py` after
editing a chart's params (`dashboard.py --export` does it too); tests/bi/test_bi_bundle.py fails
when a chart's context is not the one its params give.

Only the query is built (columns, metrics, filters, order, limit): the data comes back as rows,
without the chart's own post-processing (pivot, rolling), which is what an alert or a CSV wants.
Standard library only to build (dashboard.py runs under the system python3); PyYAML to rewrite
the chart files.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

BUNDLE = Path(__file__).resolve().parent / "bundle"

SIMPLE_OPS = {"IS NOT NULL", "IS NULL", "IS TRUE", "IS FALSE", "==", "!=", "IN", "NOT IN", ">", "<", ">=", "<=",
              "LIKE", "ILIKE"}


def _filters(params: dict) -> tuple[list[dict], list[str], list[str]]:
    """(simple filters, SQL WHERE parts, SQL HAVING parts) of a chart's adhoc filters."""
    simple, where, having = [], [], []
    for f in params.get("adhoc_filters") or []:
        if f.get("expressionType") == "SQL":
            (having if f.get("clause") == "HAVING" else where).append(f"({f['sqlExpression']})")
            continue
        if f["operator"] not in SIMPLE_OPS:
            raise ValueError(f"filter operator {f['operator']!r} is not handled")
        clause = {"col": f["subject"], "op": f["operator"]}
        if f.get("comparator") is not None:
            clause["val"] = f["comparator"]
        simple.append(clause)
    return simple, where, having


def query_object(params: dict) -> dict:
    viz = params["viz_type"]
    simple, where, having = _filters(params)
    query: dict = {"filters": simple, "extras": {"where": " AND ".join(where), "having": " AND ".join(having)},
                   "time_range": params.get("time_range") or "No filter", "annotation_layers": [],
                   "applied_time_extras": {}, "url_params": {}, "custom_params": {}, "custom_form_data": {},
                   "row_limit": int(params.get("row_limit") or 10000)}
    if viz == "table" and params.get("query_mode") == "raw":
        query.update(columns=list(params["all_columns"]), metrics=None,  # None, not []: [] groups
                     orderby=[json.loads(o) for o in params.get("order_by_cols") or []])
    elif viz == "country_map":
        query.update(columns=[params["entity"]], metrics=[params["metric"]], orderby=[[params["metric"], False]])
    elif viz.startswith("echarts_timeseries"):
        metrics = list(params["metrics"])
        query.update(columns=[params["x_axis"], *params.get("groupby", [])], metrics=metrics,
                     orderby=[[metrics[0], not params.get("order_desc", True)]])
        if params.get("series_limit"):
            query.update(series_columns=list(params.get("groupby", [])), series_limit=int(params["series_limit"]),
                         series_limit_metric=params.get("series_limit_metric") or metrics[0],
                         order_desc=params.get("order_desc", True))
        if params.get("time_grain_sqla"):
            query["extras"]["time_grain_sqla"] = params["time_grain_sqla"]
    elif viz == "table":
        metrics = list(params.get("metrics") or [])
        query.update(columns=list(params.get("groupby") or []), metrics=metrics,
                     orderby=[[metrics[0], not params.get("order_desc", True)]] if metrics else [])
    else:
        raise ValueError(f"no query context for viz_type {viz!r}: add it to bi/superset/querycontext.py")
    return query


def query_context(chart: dict) -> str:
    """The query context JSON for a chart of the bundle (its params and dataset_uuid)."""
    params = chart["params"]
    return json.dumps({
        "datasource": {"id": chart["dataset_uuid"], "type": "table"},
        "force": False,
        "queries": [query_object(params)],
        "form_data": params,
        "result_format": "json",
        "result_type": "full",
    }, ensure_ascii=False, sort_keys=True)


def write_contexts(bundle: Path = BUNDLE) -> list[Path]:
    """Set every chart file's query_context line to the context its params give; the files changed."""
    import yaml

    changed = []
    for path in sorted((bundle / "charts").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        line = "query_context: " + json.dumps(query_context(yaml.safe_load(text)), ensure_ascii=False)
        new, n = re.subn(r"(?m)^query_context:.*$", lambda _: line, text)
        if n != 1:
            sys.exit(f"{path}: expected one top-level query_context line")
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


if __name__ == "__main__":
    for changed in write_contexts(Path(sys.argv[1]) if len(sys.argv) > 1 else BUNDLE):
        print(changed)
