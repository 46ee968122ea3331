"""Confidence and listed places in the marts (issue 21): figures below the threshold stay in
fct_metric but out of the comparisons and the panel until a researcher confirms them; a page
listing places (a row per city) fills those places' panel rows, marked, and never its own total;
the threshold is a dbt var whose change rebuilds the per-report tables."""
import subprocess
import sys

import pytest
from sqlalchemy import text

from conftest import ROOT, seed_text
from fazhi.warehouse import engine
from fazhi.warehouse.dbt import build_marts, full_build_reason
from ingest.load import load_report
from ingest.load.reference import sync_reference
from ingest.parse import parse_bytes

pytestmark = pytest.mark.db

RATE = "litigation.head_appearance_rate"
WULONG, WENZHOU, HUZHOU, ZHEJIANG = "500156", "330300", "330500", "330000"

# A provincial statistics page: the province's own total (a sentence and the 合计 row) and one
# row per city, which the extractor marks with the city (place).
ZHEJIANG_PAGE = """浙江省2023年行政复议行政应诉案件统计
发布时间:2024-03-15 来源:浙江省司法厅
2023年,全省各级行政复议机关共收到行政复议申请12000件。各市情况如下表。

地区 | 行政复议收案数(件) | 行政复议纠错数(件) | 行政机关负责人出庭应诉率(%)
温州市 | 1500 | 150 | 98.5
湖州市 | 800 | 60 | 97.2
合计 | 12000 | 1100 | 96.1
"""
# The municipality's page lists 武隆区 (which has its own annual report) and 秀山县 (a name the
# spine does not know: 秀山土家族苗族自治县), so it stays unresolved.
CHONGQING_PAGE = """重庆市2023年行政复议行政应诉工作统计
发布时间:2024-03-20 来源:重庆市司法局
2023年,全市行政复议机关收到行政复议申请9000件。各区县情况见下表。

区县 | 行政复议收案数(件) | 行政机关负责人出庭应诉率(%)
武隆区 | 170 | 99.1
秀山县 | 75 | 98.0
合计 | 9000 | 97.0
"""
PLACES = {"温州市": {"name": "浙江省温州市", "code": WENZHOU, "level": "city"},
          "湖州市": {"name": "湖州市", "code": None, "level": "city"},        # by its unique name
          "武隆区": {"name": "重庆市武隆区", "code": WULONG, "level": "county"},
          "秀山县": {"name": "秀山县", "code": None, "level": "county"}}       # unknown: unresolved


def rows(sql: str, **params) -> list[dict]:
    with engine().connect() as conn:
        return [dict(r) for r in conn.execute(text(sql), params).mappings()]


def one(sql: str, **params) -> dict:
    (row,) = rows(sql, **params)
    return row


def build(*args: str) -> None:
    assert build_marts(["build", "--quiet", *args]) == 0


def reason():
    with engine().connect() as conn:
        return full_build_reason(conn, ["build"])


def listing(page: str, name: str):
    """The page as the extractor reads it, with the place of each city's row set as it will set it."""
    parsed = parse_bytes(page.encode("utf-8"), name)
    assert parsed.kind == "statistics"
    for m in parsed.metrics:
        m.place = PLACES.get(m.breakdown)
        m.confidence = 0.95
        if m.breakdown == "湖州市" and m.indicator == "reconsideration.corrected":
            m.confidence = 0.5   # a listed figure below the threshold: the city's row lacks it
    return parsed


@pytest.fixture(scope="module")
def built(fresh_schema):
    wulong = parse_bytes(seed_text("000").encode("utf-8"), "wulong.txt")
    for m in wulong.metrics:
        m.confidence = 0.95
        if m.indicator == RATE and m.scope == "jurisdiction":
            m.confidence = 0.5                   # 出庭率达到98.76%: below the threshold
        if m.indicator == "legal_aid.cases":
            m.confidence = None                  # unknown: passes
    with engine().begin() as conn:
        sync_reference(conn)   # the catalogue and the division spine, as ingest loads them first
        for parsed in (wulong, listing(ZHEJIANG_PAGE, "zhejiang.txt"), listing(CHONGQING_PAGE, "chongqing.txt")):
            assert load_report(conn, parsed) == "loaded"
    build()
    ids = {r["kind"] + ":" + r["code"]: r["report_id"] for r in rows(
        "select r.report_id, r.kind, j.code from core.report r join core.jurisdiction j using (jurisdiction_id)")}
    return {"wulong": ids["annual_report:" + WULONG], "zhejiang": ids["statistics:" + ZHEJIANG],
            "chongqing": ids["statistics:500000"]}


def wulong_rate() -> dict:
    return one("select * from marts.cmp_head_appearance_rate where jurisdiction_code = :c and report_year = 2023",
               c=WULONG)


def panel(code: str, indicator: str) -> dict | None:
    found = rows("""select * from marts.indicator_panel where jurisdiction_code = :c and report_year = 2023
                    and indicator_code = :i and scope = 'jurisdiction'""", c=code, i=indicator)
    return found[0] if found else None


def test_a_figure_below_the_threshold_stays_out_of_the_comparisons(built):
    row = wulong_rate()
    assert row["reported_rate"] is None                          # 98.76 at confidence 0.5
    assert float(row["recomputed_rate"]) == 96.39                # its counts are above it
    assert row["chosen_rate_source"] == "recomputed"
    (rate,) = rows(f"select * from marts.fct_metric where report_id = :r and indicator_code = '{RATE}' "
                   "and scope = 'jurisdiction'", r=built["wulong"])
    assert (rate["value"], rate["confidence"], rate["below_threshold"]) == (98.76, 0.5, True)
    assert not rate["is_chosen_value"]
    assert one(f"""select count(*) as n from per_report.int_report_indicator_values where report_id = :r
                   and indicator_code = '{RATE}' and scope = 'jurisdiction'""", r=built["wulong"])["n"] == 0
    # Unknown confidence passes; the audit of stated rates has nothing to check against 96.39.
    aid = one("select * from marts.fct_metric where report_id = :r and indicator_code = 'legal_aid.cases'",
              r=built["wulong"])
    assert aid["confidence"] is None and not aid["below_threshold"] and aid["is_chosen_value"]
    assert panel(WULONG, "legal_aid.cases")["value"] == 437
    assert rows(f"select * from marts.audit_rate_discrepancy where indicator_code = '{RATE}'") == []


def test_listed_cities_fill_their_own_panel_rows_never_the_province_total(built):
    for code, received in ((WENZHOU, 1500), (HUZHOU, 800)):
        row = panel(code, "reconsideration.received")
        assert row["value"] == received, code
        assert (row["value_source"], row["is_listed"], row["report_id"], row["source_kind"]) == (
            "listed by statistics", True, built["zhejiang"], "statistics")
        assert row["jurisdiction_name"].startswith("浙江省") and row["level"] == "city"
    assert panel(WENZHOU, "reconsideration.corrected")["value"] == 150
    assert panel(HUZHOU, "reconsideration.corrected") is None   # 60 at confidence 0.5
    # The page's own total is the province's, from its own figures only: the cities' rows are not it.
    province = panel(ZHEJIANG, "reconsideration.received")
    assert (province["value"], province["value_source"], province["is_listed"]) == (12000, "own report", False)
    assert panel(ZHEJIANG, "reconsideration.corrected")["value"] == 1100
    wide = {r["jurisdiction_code"]: r for r in rows(
        "select * from marts.indicator_panel_wide where province = '浙江省' and report_year = 2023")}
    assert wide.keys() == {ZHEJIANG, WENZHOU, HUZHOU}
    assert (wide[WENZHOU]["reconsideration__received"], wide[WENZHOU]["value_sources"],
            wide[WENZHOU]["listed_by_report_ids"]) == (1500, "listed by statistics", str(built["zhejiang"]))
    assert (wide[ZHEJIANG]["value_sources"], wide[ZHEJIANG]["listed_by_report_ids"]) == ("own report", None)
    # One value rule: a rate listed for a place is its chosen rate in the comparisons too, marked.
    listed = {r["jurisdiction_code"]: r for r in rows(
        f"select * from marts.cmp_head_appearance_rate where jurisdiction_code in ('{WENZHOU}', '{HUZHOU}')")}
    assert {c: (r["chosen_rate"], r["is_listed"], r["chosen_rate_source"], r["report_id"]) for c, r in listed.items()} == {
        WENZHOU: (98.5, True, "stated", built["zhejiang"]), HUZHOU: (97.2, True, "stated", built["zhejiang"])}
    assert panel(WENZHOU, RATE)["value"] == 98.5
    figures = {(r["place_name"], r["indicator_code"]): r for r in rows(
        "select * from marts.fct_metric where report_id = :r and place_name is not null", r=built["zhejiang"])}
    assert figures[("湖州市", "reconsideration.received")]["place_lineage_id"] == HUZHOU   # by its name
    assert figures[("湖州市", "reconsideration.received")]["is_chosen_value"]
    assert not figures[("湖州市", "reconsideration.corrected")]["is_chosen_value"]


def test_own_documents_first_a_listed_value_fills_a_gap(built):
    # 武隆's annual report states no 收案数: the municipality's page fills it, marked.
    received = panel(WULONG, "reconsideration.received")
    assert (received["value"], received["value_source"], received["report_id"]) == (
        170, "listed by statistics", built["chongqing"])
    handled = panel(WULONG, "reconsideration.handled")
    assert (handled["value"], handled["value_source"], handled["report_id"]) == (164, "own report", built["wulong"])
    # Its own rate is below the threshold, but its own counts give one (80 of 83): the place's own
    # documents come before the listed 99.1, in the panel as in the comparison.
    own = panel(WULONG, RATE)
    assert (own["value"], own["chosen_source"], own["is_listed"]) == (96.39, "recomputed", False)
    assert float(wulong_rate()["chosen_rate"]) == 96.39 and not wulong_rate()["is_listed"]
    assert one(f"select is_chosen_value from marts.fct_metric where report_id = :r and indicator_code = '{RATE}' "
               "and place_name = '重庆市武隆区'", r=built["chongqing"])["is_chosen_value"] is False
    # 秀山县 is not a name the spine knows: the figure stays in fct_metric and fills nothing.
    xiushan = rows("select * from marts.fct_metric where place_name = '秀山县'")
    assert len(xiushan) == 2 and all(r["place_lineage_id"] is None and not r["is_chosen_value"] for r in xiushan)
    assert rows("select * from marts.indicator_panel where jurisdiction_name like '%秀山%'") == []


def test_changing_the_threshold_rebuilds_the_per_report_tables(built, monkeypatch):
    table = one("select to_regclass('per_report.int_report_indicator_values')::oid as o")["o"]
    monkeypatch.setenv("FAZHI_MIN_CONFIDENCE", "0.4")
    assert reason() == "confidence threshold changed (0.75 -> 0.4)"
    monkeypatch.delenv("FAZHI_MIN_CONFIDENCE")
    assert reason() is None
    build("--vars", "{min_confidence: 0.4}")
    assert one("select to_regclass('per_report.int_report_indicator_values')::oid as o")["o"] != table
    assert float(wulong_rate()["reported_rate"]) == 98.76        # 0.5 passes now
    assert panel(HUZHOU, "reconsideration.corrected")["value"] == 60
    assert panel(WULONG, RATE)["value_source"] == "own report"
    assert one(f"select below_threshold from marts.fct_metric where report_id = :r and indicator_code = '{RATE}' "
               "and scope = 'jurisdiction'", r=built["wulong"])["below_threshold"] is False
    assert reason() == "confidence threshold changed (0.4 -> 0.75)"
    # A selection runs in place: it may not add per-report rows by another threshold than theirs.
    done = subprocess.run([sys.executable, "-m", "fazhi", "dbt", "run", "--select", "int_report_indicator_values"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2 and "built with min_confidence 0.4" in done.stderr
    build()
    assert wulong_rate()["reported_rate"] is None


def test_a_confirmation_brings_a_low_confidence_figure_in(built):
    done = subprocess.run([sys.executable, "-m", "fazhi", "correct", str(built["wulong"]), RATE, "98.76",
                           "--reason", "核对原文: 出庭率98.76%无误", "--by", "alice"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    build()
    row = wulong_rate()
    assert float(row["reported_rate"]) == 98.76 and row["chosen_rate_source"] == "confirmed" and row["gap_flag"]
    assert (row["is_corrected"], row["corrected_by"], row["correction_action"]) == (True, "alice", "set")
    assert (panel(WULONG, RATE)["value"], panel(WULONG, RATE)["value_source"]) == (98.76, "own report")
    assert panel(WULONG, RATE)["chosen_source"] == "confirmed"
    (rate,) = rows(f"select * from marts.fct_metric where report_id = :r and indicator_code = '{RATE}' "
                   "and scope = 'jurisdiction'", r=built["wulong"])
    assert rate["below_threshold"] and rate["is_corrected"] and rate["is_chosen_value"]
    assert (rate["extracted_value"], rate["corrected_value"], rate["corrected_by"]) == (98.76, 98.76, "alice")
    # Now checked against its counts, like any stated rate; confirmed, it stays a discrepancy, reviewed.
    audit = one(f"select * from marts.audit_rate_discrepancy where indicator_code = '{RATE}'")
    assert float(audit["gap_points"]) == 2.37
    assert (audit["resolution"], audit["resolved_by"], audit["resolution_action"]) == ("reviewed", "alice", "set")
