"""The dbt project on the seeds plus a multi-year fixture: build, tests, values read back in SQL."""
import subprocess
import sys

import pytest
from sqlalchemy import text

from conftest import ROOT, SAMPLES, SEEDS
from ingest.batch import ingest_paths
from ingest.dbt import run_dbt
from ingest.load import engine, table_counts
from shapes import jizhou_years

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def built(fresh_schema, tmp_path_factory):
    years = tmp_path_factory.mktemp("years")
    for name, body in jizhou_years().items():
        (years / name).write_text(body, encoding="utf-8")
    summary = ingest_paths([SAMPLES, years])
    assert summary.count("loaded") == len(SEEDS) + 2
    assert run_dbt(["build", "--quiet"]) == 0
    return True


def one(sql, **params):
    with engine().connect() as conn:
        return conn.execute(text(sql), params).mappings().one()


def test_head_appearance_rate_wulong(built):
    row = one("select * from marts.cmp_head_appearance_rate where jurisdiction_code = '500156' and report_year = 2023")
    assert float(row["reported_rate"]) == 98.76
    assert (row["numerator_count"], row["denominator_count"]) == (80, 83)
    assert row["denominator_basis"] == "litigation.hearings"
    assert float(row["recomputed_rate"]) == 96.39 and float(row["gap_points"]) == 2.37 and row["gap_flag"]
    assert row["chosen_rate_source"] == "reported"
    assert float(row["gov_reported_rate"]) == 100  # 区政府领导出庭率, never mixed with the area-wide figure


def test_correction_rate_xiushan(built):
    row = one("select * from marts.cmp_correction_rate where jurisdiction_code = '500241' and report_year = 2023")
    assert (row["numerator_count"], row["denominator_count"]) == (9, 69)
    assert row["denominator_basis"] == "reconsideration.handled"
    assert float(row["recomputed_rate"]) == 13.04 and row["reported_rate"] is None
    assert row["chosen_rate_source"] == "recomputed: reconsideration.corrected / reconsideration.handled"


def test_audit_flags_wulong(built):
    row = one("select * from marts.audit_rate_discrepancy where indicator_code = 'litigation.head_appearance_rate'")
    assert row["jurisdiction_name"] == "重庆市武隆区" and float(row["gap_points"]) == 2.37


def test_loss_rate_liangu_government_as_party(built):
    row = one("select * from marts.cmp_loss_rate where jurisdiction_name = '重庆市渝北区两路街道' and report_year = 2023")
    assert row["gov_numerator_count"] == 0 and row["numerator_count"] is None
    assert row["level"] == "township"


def test_mediation_rate_and_ranks(built):
    rows = {r["jurisdiction_name"]: r for r in _all("select * from marts.cmp_mediation_success_rate where report_year = 2023")}
    wulong = rows["重庆市武隆区"]
    assert float(wulong["reported_rate"]) == 99.4 and float(wulong["recomputed_rate"]) == 99.44
    # Counts from different passages (秀山: 14913 settled vs 6400 by 法律明白人) are not divided.
    xiushan = rows.get("重庆市秀山土家族苗族自治县")
    assert xiushan is None or xiushan["recomputed_rate"] is None
    # Rank and median within province x level x year: 武隆 99.4 is the only county rate in 重庆 2023.
    assert wulong["rank_in_province_level"] == 1 and float(wulong["province_median"]) == 99.4


def test_year_on_year_across_rename(built):
    rows = _all("select * from marts.cmp_head_appearance_rate where lineage_id = '120119' order by report_year")
    assert [(r["report_year"], r["jurisdiction_name"], r["jurisdiction_code"]) for r in rows] == [
        (2015, "天津市蓟县", "120225"), (2016, "天津市蓟州区", "120119")]
    assert rows[0]["change_from_previous_year"] is None
    assert float(rows[1]["change_from_previous_year"]) == 10.0


def test_panel_and_chinese_views(built):
    row = one("""select "地区", "出庭应诉率", "报告出庭应诉率", "差距百分点" from marts_zh."出庭应诉率"
                 where "地区" = '重庆市武隆区' and "年份" = 2023""")
    assert float(row["出庭应诉率"]) == 98.76 and float(row["差距百分点"]) == 2.37
    wide = one("""select * from marts.indicator_panel_wide where jurisdiction_code = '500156' and report_year = 2023""")
    assert wide["litigation__hearings"] == 83 and float(wide["legal_aid__recovered_amount"]) == 4911900
    cov = one("select * from marts.report_coverage where title like '重庆市武隆区%'")
    assert cov["published_by_deadline"] and cov["days_after_deadline"] < 0 and cov["core_indicators_stated"] >= 10


def test_docs_are_persisted_as_comments(built):
    row = one("""select obj_description('marts.cmp_head_appearance_rate'::regclass) as t,
                        col_description('marts.cmp_head_appearance_rate'::regclass, 13) as c""")
    assert "出庭应诉率" in row["t"] and "Head-of-agency" in row["t"]
    assert row["c"] and "." in row["c"]


def test_build_twice_changes_no_core_counts(built):
    with engine().connect() as conn:
        before = table_counts(conn)
    subprocess.run([sys.executable, "-m", "ingest.cli", "build", "--no-dbt"], check=True, cwd=ROOT,
                   capture_output=True)
    assert run_dbt(["build", "--quiet"]) == 0
    with engine().connect() as conn:
        assert table_counts(conn) == before


def _all(sql):
    with engine().connect() as conn:
        return conn.execute(text(sql)).mappings().all()
