"""The Superset bundle (bi/superset/bundle) against the built marts, without Superset: every
dataset, column and metric it names exists, with a compatible type, and every expression runs
as the read-only role a dashboard connects as. Charts and the dashboard refer only to what the
bundle defines; every chart carries the query context its params give (querycontext.py), which
Superset's chart-data API runs (dashboard.py calls that API for every chart, with Superset)."""
import importlib.util
import json

import psycopg
import pytest
import yaml

from conftest import ROOT, SAMPLES
from fazhi.warehouse import database_url, engine
from fazhi.warehouse.config import with_user
from fazhi.warehouse.dbt import build_marts
from fazhi.warehouse.passwords import new_password
from fazhi.warehouse.roles import READER_SCHEMAS, grant_reader
from ingest.load import ingest_paths

pytestmark = pytest.mark.db

BUNDLE = ROOT / "bi" / "superset" / "bundle"
MASK = "XXXXXXXXXX"

# Superset's column type (as the bundle states it) -> the Postgres types it may stand for.
TYPE_FAMILIES = {
    "VARCHAR": {"text", "character varying"},
    "TEXT": {"text", "character varying"},
    "SMALLINT": {"smallint", "integer", "bigint"},
    "INTEGER": {"smallint", "integer", "bigint"},
    "BIGINT": {"smallint", "integer", "bigint"},
    "DOUBLE PRECISION": {"double precision", "real", "numeric"},
    "NUMERIC": {"double precision", "real", "numeric"},
    "DATE": {"date"},
    "TIMESTAMP WITHOUT TIME ZONE": {"timestamp without time zone"},
    "BOOLEAN": {"boolean"},
}


def load(folder: str) -> dict[str, dict]:
    return {p.relative_to(BUNDLE).as_posix(): yaml.safe_load(p.read_text(encoding="utf-8"))
            for p in sorted((BUNDLE / folder).rglob("*.yaml"))}


DATABASES, DATASETS, CHARTS, DASHBOARDS = (load(f) for f in ("databases", "datasets", "charts", "dashboards"))
_spec = importlib.util.spec_from_file_location("querycontext", ROOT / "bi" / "superset" / "querycontext.py")
querycontext = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(querycontext)
BY_UUID = {d["uuid"]: d for d in DATASETS.values()}


def physical_columns(dataset: dict) -> list[dict]:
    return [c for c in dataset["columns"] if not c.get("expression")]


def names(dataset: dict) -> tuple[set[str], set[str]]:
    """(column names, metric names) a chart on this dataset may use."""
    return {c["column_name"] for c in dataset["columns"]}, {m["metric_name"] for m in dataset["metrics"]}


# --- what a chart refers to -------------------------------------------------------------------

def _metric_refs(value) -> tuple[set[str], set[str]]:
    """Saved metrics by name; a SIMPLE adhoc metric names a column (SQL ones are run in the database)."""
    if isinstance(value, str):
        return set(), {value}
    if isinstance(value, dict) and value.get("expressionType") == "SIMPLE":
        return {value["column"]["column_name"]}, set()
    return set(), set()


def chart_refs(params: dict) -> tuple[set[str], set[str], set[str]]:
    """(columns, metrics, either) that a chart's params name."""
    cols: set[str] = set()
    mets: set[str] = set()
    for key in ("x_axis", "granularity_sqla", "entity"):
        if isinstance(params.get(key), str):
            cols.add(params[key])
    for key in ("groupby", "columns", "all_columns"):
        cols.update(c for c in params.get(key) or [] if isinstance(c, str))
    for key in ("metrics", "metric", "series_limit_metric", "timeseries_limit_metric"):
        values = params.get(key)
        for value in values if isinstance(values, list) else [values] if values else []:
            c, m = _metric_refs(value)
            cols |= c
            mets |= m
    cols.update(json.loads(o)[0] for o in params.get("order_by_cols") or [])
    cols.update(f["subject"] for f in params.get("adhoc_filters") or [] if f.get("expressionType") == "SIMPLE")
    cols.update(params.get("column_config") or {})
    cols.update(params.get("temporal_columns_lookup") or {})
    either = {params["x_axis_sort"]} if params.get("x_axis_sort") else set()
    return cols, mets, either


def sql_expressions(params: dict) -> list[str]:
    """SQL written into a chart (adhoc SQL metrics and filters), to be run on its table."""
    found = [m["sqlExpression"] for m in params.get("metrics") or [] if isinstance(m, dict)
             and m.get("expressionType") == "SQL"]
    found += [f"count(*) filter (where {f['sqlExpression']})" for f in params.get("adhoc_filters") or []
              if f.get("expressionType") == "SQL"]
    return found


def layout_charts(dashboard: dict) -> dict[int, str]:
    """chartId -> chart uuid, for every chart the dashboard lays out."""
    return {el["meta"]["chartId"]: el["meta"]["uuid"] for el in dashboard["position"].values()
            if isinstance(el, dict) and el.get("type") == "CHART"}


# --- the bundle on its own --------------------------------------------------------------------

def test_bundle_has_every_part():
    meta = yaml.safe_load((BUNDLE / "metadata.yaml").read_text(encoding="utf-8"))
    assert meta["version"] == "1.0.0"
    assert len(DATABASES) == 1 and DATASETS and CHARTS
    assert {d["slug"] for d in DASHBOARDS.values()} == {"fazhi", "fazhi-place"}  # dashboard.py's DASHBOARDS
    everything = [*DATABASES.values(), *DATASETS.values(), *CHARTS.values(), *DASHBOARDS.values()]
    uuids = [x["uuid"] for x in everything]
    assert len(uuids) == len(set(uuids)), "uuids must be unique"


def test_database_holds_no_password():
    (db,) = DATABASES.values()
    uri = db["sqlalchemy_uri"]
    assert uri.startswith("postgresql") and "password" not in db
    password = uri.split("://", 1)[1].split("@", 1)[0].partition(":")[2]
    assert password == MASK, "the password is given at import time, never in the bundle"


def test_datasets_are_marts_tables_of_the_database():
    (db,) = DATABASES.values()
    for path, ds in DATASETS.items():
        assert ds["database_uuid"] == db["uuid"], path
        assert ds["schema"] in READER_SCHEMAS and not ds.get("sql"), f"{path}: a table of marts, not SQL"
        cols, mets = names(ds)
        assert ds["main_dttm_col"] in cols, path
        for c in ds["columns"]:
            assert c["verbose_name"] and c["description"], f"{path}: {c['column_name']} needs labels"
            assert c["type"] in TYPE_FAMILIES, f"{path}: {c['column_name']}: unknown type {c['type']}"
        for m in ds["metrics"]:
            assert m["verbose_name"] and m["description"], f"{path}: {m['metric_name']} needs labels"


@pytest.mark.parametrize("path", sorted(CHARTS))
def test_chart_names_only_what_its_dataset_defines(path):
    chart = CHARTS[path]
    dataset = BY_UUID.get(chart["dataset_uuid"])
    assert dataset, f"{path}: no dataset {chart['dataset_uuid']} in the bundle"
    assert chart["params"]["viz_type"] == chart["viz_type"]
    cols, mets = names(dataset)
    used_cols, used_mets, either = chart_refs(chart["params"])
    assert used_cols or used_mets, f"{path}: names nothing (the parser missed its params?)"
    assert used_cols <= cols, f"{path}: columns not in {dataset['table_name']}: {used_cols - cols}"
    assert used_mets <= mets, f"{path}: metrics not in {dataset['table_name']}: {used_mets - mets}"
    assert either <= cols | mets, f"{path}: {either - cols - mets} not in {dataset['table_name']}"


@pytest.mark.parametrize("path", sorted(CHARTS))
def test_chart_carries_the_query_context_of_its_params(path):
    """Without one Superset's chart-data API answers 400; a stale one would query other columns
    than the chart shows (python3 bi/superset/querycontext.py rewrites them)."""
    chart = CHARTS[path]
    assert chart["query_context"], f"{path}: no query context"
    assert chart["query_context"] == querycontext.query_context(chart), f"{path}: run bi/superset/querycontext.py"
    context = json.loads(chart["query_context"])
    assert context["datasource"] == {"id": chart["dataset_uuid"], "type": "table"}  # by uuid: any Superset
    cols, mets = names(BY_UUID[chart["dataset_uuid"]])
    for query in context["queries"]:
        named = {c for c in query["columns"]} | {f["col"] for f in query["filters"]}
        assert named <= cols, f"{path}: {named - cols}"
        assert set(query["metrics"] or []) <= mets, path
        assert {o[0] for o in query["orderby"]} <= cols | mets, path


def test_rankings_state_ties_and_order_deterministically():
    """Every ranking names each place's rank (= when tied) and how many share its value, orders by
    rank then name (the same 20 on every build), and marks corrected values."""
    ranks = {p: c for p, c in CHARTS.items() if p.startswith("charts/rank_")}
    assert len(ranks) == 4
    for path, chart in ranks.items():
        params = chart["params"]
        assert {"rank_shown", "tie_note", "corrected_mark"} <= set(params["all_columns"]), path
        assert [json.loads(o) for o in params["order_by_cols"]] == [["rank_in_year", True], ["display_name", True]]
        assert "并列" in chart["slice_name"], path


def test_dashboard_lays_out_the_bundle_charts():
    laid_out = {}
    for dash in DASHBOARDS.values():
        mine = layout_charts(dash)
        assert not set(mine) & set(laid_out), "chartIds unique across the dashboards"
        laid_out.update(mine)
        for el in dash["position"].values():
            if isinstance(el, dict) and "children" in el:
                assert all(child in dash["position"] for child in el["children"]), el["id"]
    chart_uuids = {c["uuid"] for c in CHARTS.values()}
    assert set(laid_out.values()) == chart_uuids, "every chart laid out once, and only bundle charts"
    assert len(laid_out) == len(chart_uuids)


@pytest.mark.parametrize("path", sorted(DASHBOARDS))
def test_native_filters_target_columns_of_every_chart_in_scope(path):
    dash = DASHBOARDS[path]
    laid_out = layout_charts(dash)
    chart_by_uuid = {c["uuid"]: c for c in CHARTS.values()}
    for flt in dash["metadata"]["native_filter_configuration"]:
        excluded = set(flt["scope"]["excluded"])
        assert excluded <= set(laid_out), f"{flt['name']}: excludes charts not on the dashboard"
        for target in flt["targets"]:
            column = target["column"]["name"]
            assert column in names(BY_UUID[target["datasetUuid"]])[0], flt["name"]
            if flt.get("sortMetric"):
                assert flt["sortMetric"] in names(BY_UUID[target["datasetUuid"]])[1], flt["name"]
            for chart_id, uuid in laid_out.items():
                if chart_id not in excluded:
                    dataset = BY_UUID[chart_by_uuid[uuid]["dataset_uuid"]]
                    assert column in names(dataset)[0], f"{flt['name']}: {dataset['table_name']} has no {column}"


# --- the bundle against the built marts, as a reader ------------------------------------------

@pytest.fixture(scope="module")
def reader(fresh_schema):
    ingest_paths(engine(), [SAMPLES])
    assert build_marts(["build", "--quiet"]) == 0
    password = new_password()
    with engine().begin() as conn:
        grant_reader(conn, "bi_bundle_reader", password)
    with psycopg.connect(with_user(database_url(), "bi_bundle_reader", password), autocommit=True) as conn:
        yield conn


@pytest.mark.parametrize("path", sorted(DATASETS))
def test_dataset_columns_exist_with_their_types(reader, path):
    ds = DATASETS[path]
    actual = dict(reader.execute(
        "select column_name, data_type from information_schema.columns where table_schema = %s and table_name = %s",
        (ds["schema"], ds["table_name"])).fetchall())
    assert actual, f"{ds['schema']}.{ds['table_name']} does not exist or the reader cannot see it"
    for c in physical_columns(ds):
        name = c["column_name"]
        assert name in actual, f"{path}: {ds['table_name']} has no column {name}"
        assert actual[name] in TYPE_FAMILIES[c["type"]], f"{path}: {name} is {actual[name]}, bundle says {c['type']}"


@pytest.mark.parametrize("path", sorted(DATASETS))
def test_dataset_expressions_run_as_reader(reader, path):
    """Every column, calculated column and metric, selected from its table by the reader role."""
    ds = DATASETS[path]
    table = f'{ds["schema"]}."{ds["table_name"]}"'
    columns = ", ".join(f'"{c["column_name"]}"' for c in physical_columns(ds))
    reader.execute(f"select {columns} from {table} where false")
    for c in ds["columns"]:
        if c.get("expression"):
            reader.execute(f"select {c['expression']} from {table} where false")
    for m in ds["metrics"]:
        reader.execute(f"select {m['expression']} from {table} where false")


SIMPLE_FILTERS = {"IS NOT NULL": "{} is not null", "IS NULL": "{} is null", "IS TRUE": "{} is true",
                  "IS FALSE": "{} is false", "==": "{} = {}", "IN": "{} in ({})"}


def _literal(value) -> str:
    values = value if isinstance(value, list) else [value]
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)


def chart_query(chart: dict) -> str:
    """The query Superset sends for a chart, near enough: its dimensions (grouped when it has
    metrics), its saved, simple and SQL metrics, its filters, its order and limit."""
    ds = BY_UUID[chart["dataset_uuid"]]
    params = chart["params"]
    column = {c["column_name"]: c.get("expression") or f'"{c["column_name"]}"' for c in ds["columns"]}
    saved = {m["metric_name"]: m["expression"] for m in ds["metrics"]}
    dims = [params[k] for k in ("x_axis", "entity") if isinstance(params.get(k), str)]
    dims += [c for key in ("groupby", "all_columns") for c in params.get(key) or [] if isinstance(c, str)]
    metrics = {}
    for m in (params.get("metrics") or []) + ([params["metric"]] if params.get("metric") else []):
        if isinstance(m, str):
            metrics[m] = saved[m]
        elif m["expressionType"] == "SIMPLE":
            metrics[m["label"]] = f'{m["aggregate"]}({column[m["column"]["column_name"]]})'.replace(
                "COUNT_DISTINCT(", "COUNT(DISTINCT ")
        else:
            metrics[m["label"]] = m["sqlExpression"]
    where = []
    for f in params.get("adhoc_filters") or []:
        if f["expressionType"] == "SQL":
            where.append(f"({f['sqlExpression']})")
        else:
            assert f["operator"] in SIMPLE_FILTERS, f"{chart['slice_name']}: filter {f['operator']} not handled here"
            where.append(SIMPLE_FILTERS[f["operator"]].format(column[f["subject"]], _literal(f["comparator"])))
    select = [f'{column[d]} as "{d}"' for d in dims] + [f'{e} as "{n}"' for n, e in metrics.items()]
    order = [json.loads(o) for o in params.get("order_by_cols") or []]
    if params.get("x_axis_sort"):
        order.append([params["x_axis_sort"], params.get("x_axis_sort_asc", True)])
    sql = f'select {", ".join(select)} from {ds["schema"]}."{ds["table_name"]}"'
    sql += f" where {' and '.join(where)}" if where else ""
    sql += f" group by {', '.join(column[d] for d in dims)}" if metrics and dims else ""
    term = {**saved, **column, **{n: f'"{n}"' for n in metrics}}   # what an order names: a metric or a column
    sql += f" order by {', '.join(term[c] + ('' if asc else ' desc') for c, asc in order)}" if order else ""
    return sql + f" limit {int(params.get('row_limit') or 10000)}"


# The bundled samples state no loss rate (cmp_loss_rate's one row has none): these charts are empty.
EMPTY_ON_SAMPLES = {"charts/rank_loss_rate.yaml", "charts/trend_loss_rate.yaml", "charts/map_loss_rate.yaml"}


def test_every_chart_query_runs_as_reader_and_shows_rows(reader):
    """Each chart's query, and adhoc SQL written into a chart (metrics, filters) on its own, as the
    reader role a dashboard connects as; on the bundled samples every chart but EMPTY_ON_SAMPLES
    shows rows."""
    ran, empty = 0, set()
    for path, chart in sorted(CHARTS.items()):
        ds = BY_UUID[chart["dataset_uuid"]]
        if not reader.execute(chart_query(chart)).fetchall():
            empty.add(path)
        ran += 1
        for expression in sql_expressions(chart["params"]):
            reader.execute(f'select {expression} from {ds["schema"]}."{ds["table_name"]}" where false')
            ran += 1
    assert ran == len(CHARTS) + sum(len(sql_expressions(c["params"])) for c in CHARTS.values()) == 17
    assert empty == EMPTY_ON_SAMPLES
