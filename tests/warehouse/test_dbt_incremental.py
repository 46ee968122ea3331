"""Incremental builds: the per-report tables take new reports in place, lose deleted ones, and are
rebuilt aside when what they depend on changed (catalogue, a reset core); a new version of a
report wins in the marts; a failed build leaves the marts as they were."""
import pytest
from sqlalchemy import text

from conftest import SEEDS, seed_text
from fazhi.warehouse import engine
from fazhi.warehouse.dbt import build_marts, full_build_reason
from ingest.load import ingest_paths, load_report
from ingest.parse import parse_bytes

pytestmark = pytest.mark.db

PER_REPORT_TABLES = ("int_report_indicator_values", "int_report_counts", "int_report_rate_checks")


def scalar(sql, **params):
    with engine().connect() as conn:
        return conn.execute(text(sql), params).scalar()


def execute(sql, **params):
    """In a transaction of its own, committed; returns the first column of the first row, if any."""
    with engine().begin() as conn:
        result = conn.execute(text(sql), params)
        return result.scalar() if result.returns_rows else None


def oid(relation: str):
    return scalar("select to_regclass(:r)::oid", r=relation)


def schema_oid(schema: str):
    return scalar("select oid from pg_namespace where nspname = :s", s=schema)


def rows_of(report_id: int) -> dict[str, int]:
    return {t: scalar(f"select count(*) from per_report.{t} where report_id = :r", r=report_id)
            for t in PER_REPORT_TABLES}


def report_id_of(code: str, year: int) -> int:
    return scalar("""select r.report_id from core.report r join core.jurisdiction j using (jurisdiction_id)
                     where j.code = :c and r.report_year = :y order by r.report_id limit 1""", c=code, y=year)


def build(what: str = "build") -> None:
    assert build_marts([what, "--quiet"]) == 0


def reason():
    with engine().connect() as conn:
        return full_build_reason(conn, ["build"])


@pytest.fixture(scope="module")
def built(fresh_schema):
    ingest_paths(engine(), SEEDS[:3])   # 武隆, 蓟州, 秀山 2023
    assert reason() == "first build"
    build()
    assert reason() is None   # the next build is incremental
    return True


@pytest.fixture(scope="module")
def changed(built):
    """One incremental build after a report was added, a new version of another loaded, and a
    third deleted (its figures go by cascade)."""
    before = {"table": oid("per_report.int_report_indicator_values"), "marts": schema_oid("marts"),
              "wulong": report_id_of("500156", 2023), "xiushan": report_id_of("500241", 2023)}
    assert all(rows_of(before["xiushan"]).values())
    ingest_paths(engine(), [SEEDS[4]])   # 九龙坡 2022
    body = seed_text("000").replace("日期:2024-02-23", "日期:2024-03-01")
    body = body.replace("行政负责人出庭率达到98.76%", "行政负责人出庭率达到97.59%")
    with engine().begin() as conn:
        assert load_report(conn, parse_bytes(body.encode("utf-8"), "wulong_v2.txt")) == "loaded"
    execute("delete from core.report where report_id = :r", r=before["xiushan"])
    build()
    return before


def test_a_new_report_is_added_in_place(changed):
    new = report_id_of("500107", 2022)
    assert oid("per_report.int_report_indicator_values") == changed["table"]   # updated where it is
    assert schema_oid("marts") != changed["marts"]                            # the marts were swapped in
    assert all(rows_of(new).values()), rows_of(new)
    assert scalar("select metrics_stated from marts.report_coverage where report_id = :r", r=new) >= 10


def test_a_deleted_report_leaves_the_per_report_tables_and_the_marts(changed):
    xiushan = changed["xiushan"]
    assert rows_of(xiushan) == {t: 0 for t in PER_REPORT_TABLES}
    assert scalar("select count(*) from marts.cmp_correction_rate where jurisdiction_code = '500241'") == 0
    assert scalar("select count(*) from marts.report_coverage where report_id = :r", r=xiushan) == 0


def test_a_new_version_of_a_report_wins(changed):
    row = scalar("""select reported_rate from marts.cmp_head_appearance_rate
                    where jurisdiction_code = '500156' and report_year = 2023""")
    assert float(row) == 97.59
    # Both versions keep their per-report rows (both are reports); the marts choose the latest.
    old = changed["wulong"]
    assert all(rows_of(old).values())
    assert scalar("select bool_or(is_latest_version) from marts.fct_metric where report_id = :r", r=old) is False


def test_building_again_changes_nothing(changed):
    counts = {t: scalar(f"select count(*) from per_report.{t}") for t in PER_REPORT_TABLES}
    build("run")
    assert {t: scalar(f"select count(*) from per_report.{t}") for t in PER_REPORT_TABLES} == counts


def test_a_failed_build_leaves_the_marts_as_they_were(built):
    marts, tables = schema_oid("marts"), oid("marts.cmp_head_appearance_rate")
    before = scalar("select count(*) from marts.report_coverage")
    # A report with no source file fails the test every_report_has_one_primary_source.
    orphan = execute("""insert into core.report (content_hash, text_hash, source_path, file_format, encoding,
                           kind, report_year, text)
                       values ('orphan', 'orphan', 'orphan.txt', 'text', 'utf-8', 'annual_report', 2023, '正文')
                       returning report_id""")
    assert build_marts(["build", "--quiet"]) != 0
    assert (schema_oid("marts"), oid("marts.cmp_head_appearance_rate")) == (marts, tables)
    assert scalar("select count(*) from marts.report_coverage") == before
    assert scalar("select count(*) from pg_namespace where nspname like '%\\_\\_next'") == 0
    execute("""insert into core.report_source (report_id, content_hash, source_path, file_format, encoding,
                   is_primary) values (:r, 'orphan', 'orphan.txt', 'text', 'utf-8', true)""", r=orphan)
    build()   # carries on from wherever the failed build left the per-report tables
    assert scalar("select count(*) from marts.report_coverage") == before + 1
    assert rows_of(orphan)["int_report_counts"] == 1


def test_a_changed_catalogue_rebuilds_the_per_report_tables_aside(built):
    table = oid("per_report.int_report_indicator_values")
    wulong = report_id_of("500156", 2023)   # (the first version: 164 cases too)
    handled = "select count(*) from per_report.int_report_indicator_values " \
              "where report_id = :r and indicator_code = 'reconsideration.handled'"
    assert scalar(handled, r=wulong) == 1   # 164 cases
    execute("update core.indicator set max_value = 100 where code = 'reconsideration.handled'")
    assert reason() == "indicator catalogue, per-report models or core.report changed"
    build("run")
    assert oid("per_report.int_report_indicator_values") != table
    assert scalar(handled, r=wulong) == 0   # 164 is now beyond the ceiling: never compared
