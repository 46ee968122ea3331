"""Corrections of extracted figures through the CLI, on a real warehouse built from the seeds:
they survive re-ingest, re-parse and a new version of the report, show their provenance in
fct_metric, reach the comparisons, and travel between warehouses as CSV."""
import csv
import shutil
import subprocess
import sys

import pytest
from sqlalchemy import text

from conftest import ROOT, SEEDS
from fazhi.warehouse import engine
from fazhi.warehouse.dbt import build_marts
from ingest.load import ingest_paths

pytestmark = pytest.mark.db

RATE = "litigation.head_appearance_rate"


def fazhi(*args: str, ok: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "fazhi", *args], cwd=ROOT, capture_output=True, text=True)
    if ok:
        assert done.returncode == 0, done.stderr
    return done


def rows(sql: str, **params) -> list[dict]:
    with engine().connect() as conn:
        return [dict(r) for r in conn.execute(text(sql), params).mappings()]


def build() -> None:
    assert build_marts(["build", "--quiet"]) == 0


def new_version(seed: str) -> str:
    """The 武隆 report republished a month later with one figure changed: another report to fazhi
    (other text, other figures), the latest version of the same document."""
    assert "日期:2024-02-23" in seed and "办理行政复议案件164件" in seed
    return seed.replace("日期:2024-02-23", "日期:2024-03-20").replace("办理行政复议案件164件", "办理行政复议案件165件")


@pytest.fixture(scope="module")
def folder(fresh_schema, tmp_path_factory):
    path = tmp_path_factory.mktemp("reports")
    shutil.copy(SEEDS[0], path / "wulong.txt")    # 重庆市武隆区 2023: 出庭应诉率 98.76%, 80 of 83 heard
    shutil.copy(SEEDS[2], path / "xiushan.txt")   # 秀山 2023: 办理行政复议69件, 纠错数9件
    assert ingest_paths(engine(), [path]).count("loaded") == 2
    return path


def wulong(report_id: int | None = None) -> dict:
    (row,) = rows("""select report_id, reported_rate, recomputed_rate, gap_flag, chosen_rate
                     from marts.cmp_head_appearance_rate where jurisdiction_code = '500156' and report_year = 2023""")
    if report_id is not None:
        assert row["report_id"] == report_id
    return row


def figures(report_id: int, code: str) -> list[dict]:
    return rows("""select * from marts.fct_metric where report_id = :r and indicator_code = :c and scope = 'jurisdiction'
                   order by start_offset""", r=report_id, c=code)


def assert_corrected(report_id: int) -> None:
    """The rate set right and the false legal-aid figure deleted, in fct_metric and downstream."""
    (rate,) = figures(report_id, RATE)
    assert (rate["extracted_value"], rate["corrected_value"], rate["value"]) == (98.76, 96.39, 96.39)
    assert rate["corrected_by"] == "alice" and rate["correction_reason"] == "报告比率与出庭80件/开庭83件不符"
    assert rate["is_corrected"] and rate["is_chosen_value"] and rate["correction_action"] == "set"
    assert rate["corrected_at"] is not None
    assert wulong(report_id)["reported_rate"] == 96.39 and wulong()["gap_flag"] is False
    (aid,) = figures(report_id, "legal_aid.cases")
    assert aid["is_deleted"] and aid["value"] is None and aid["extracted_value"] == 437
    assert not aid["is_chosen_value"] and aid["correction_reason"] == "办结数含上年结转"
    assert rows("""select * from marts.indicator_panel where jurisdiction_code = '500156' and report_year = 2023
                   and indicator_code = 'legal_aid.cases'""") == []
    # Downstream the value says it was corrected, by whom and why.
    (cmp,) = rows("""select * from marts.cmp_head_appearance_rate where jurisdiction_code = '500156'
                     and report_year = 2023""")
    assert (cmp["chosen_rate"], cmp["chosen_rate_source"], cmp["is_corrected"], cmp["corrected_by"]) == (
        96.39, "corrected", True, "alice")
    (panel,) = rows(f"""select * from marts.indicator_panel where jurisdiction_code = '500156' and report_year = 2023
                        and indicator_code = '{RATE}' and scope = 'jurisdiction'""")
    assert (panel["value"], panel["extracted_value"], panel["chosen_source"]) == (96.39, 98.76, "corrected")
    assert panel["correction_reason"] == "报告比率与出庭80件/开庭83件不符" and panel["correction_action"] == "set"
    # The audit keeps the discrepancy it found, resolved by the correction.
    (audit,) = rows("select * from marts.audit_rate_discrepancy where report_id = :r", r=report_id)
    assert (audit["extracted_gap_points"], audit["gap_points"], audit["resolution"]) == (2.37, 0, "resolved")
    assert (audit["resolved_by"], audit["resolved_reason"]) == ("alice", "报告比率与出庭80件/开庭83件不符")
    (zh,) = rows('select * from marts_zh."比率核对" where "报告编号" = :r', r=report_id)
    assert (zh["处理状态"], zh["更正人"], zh["更正方式"]) == ("已更正", "alice", "改值")


def test_corrections_survive_reingest_reparse_and_a_new_version(folder):
    build()
    first = wulong()["report_id"]
    assert wulong()["reported_rate"] == 98.76 and wulong()["gap_flag"] is True
    # By file (the report it carries) and by report id.
    fazhi("correct", str(folder / "wulong.txt"), RATE, "96.39", "--reason", "报告比率与出庭80件/开庭83件不符",
          "--by", "alice")
    fazhi("correct", str(first), "legal_aid.cases", "--delete", "--reason", "办结数含上年结转", "--by", "bob")
    build()
    assert_corrected(first)

    # Re-ingest: the file is known, nothing changes, the corrections hold.
    assert ingest_paths(engine(), [folder]).count("present") == 2
    build()
    assert_corrected(first)

    # A new version of the report: the comparisons now use it, with the corrections carried over.
    (folder / "wulong_v2.txt").write_text(new_version(SEEDS[0].read_text(encoding="utf-8")), encoding="utf-8")
    assert ingest_paths(engine(), [folder / "wulong_v2.txt"]).count("loaded") == 1
    build()
    (second,) = [r["report_id"] for r in rows("select report_id from core.report where source_path like '%wulong_v2.txt'")]
    assert second != first
    assert_corrected(second)
    assert figures(second, "reconsideration.handled")[0]["value"] == 165   # what the new version says

    # Re-parse (fazhi ingest --reparse, after upgrading fazhi): the report is loaded again under a
    # new id, with its alternate file (the same report in GB18030) still its alternate.
    v2 = (folder / "wulong_v2.txt").read_text(encoding="utf-8")
    (folder / "wulong_v2_gbk.txt").write_bytes(v2.encode("gb18030"))
    assert ingest_paths(engine(), [folder / "wulong_v2_gbk.txt"]).count("alternate") == 1
    done = fazhi("ingest", "--reparse", str(folder / "wulong_v2.txt"), str(folder / "wulong_v2_gbk.txt"))
    assert "reparsed" in done.stderr
    build()
    third = wulong()["report_id"]
    assert third not in (first, second)
    assert {(r["source_path"].rsplit("/", 1)[1], r["is_primary"]) for r in rows(
        "select source_path, is_primary from core.report_source where report_id = :r", r=third)} == {
        ("wulong_v2.txt", True), ("wulong_v2_gbk.txt", False)}
    assert_corrected(third)
    listed = fazhi("corrections", "list").stdout
    assert "alice" in listed and "bob" in listed


def test_added_figure_needs_evidence_the_report_states(folder):
    xiushan = rows("select report_id from core.report where source_path like '%xiushan.txt'")[0]["report_id"]
    add = ["correct", str(xiushan), "reconsideration.closed", "69", "--add", "--reason", "69件均已审结 (复议机构年报)"]
    refused = {
        "no evidence": fazhi(*add, ok=False),
        "not in the text": fazhi(*add, "--evidence", "审结行政复议69件", ok=False),
        "another number": fazhi(*add[:3], "68", *add[4:], "--evidence", "办理行政复议69件", ok=False),
        "already stated": fazhi("correct", str(xiushan), "reconsideration.handled", "69", "--add", "--reason", "x",
                                "--evidence", "办理行政复议69件", ok=False),
        "out of range": fazhi("correct", str(xiushan), RATE, "120", "--reason", "x", ok=False),
        "nothing to set": fazhi("correct", str(xiushan), "reconsideration.closed", "69", "--reason", "x", ok=False),
        "no such report": fazhi("correct", "99999", RATE, "90", "--reason", "x", ok=False),
    }
    for why, done in refused.items():
        assert done.returncode == 2 and len(done.stderr.strip().splitlines()) <= 2, (why, done.stderr)
        assert "Traceback" not in done.stderr, why
    assert "does not state 68" in refused["another number"].stderr
    assert rows("select count(*) as n from core.correction where indicator_code = 'reconsideration.closed'")[0]["n"] == 0

    fazhi(*add, "--evidence", "办理行政复议69件", "--by", "carol")
    build()
    (added,) = [f for f in figures(xiushan, "reconsideration.closed")]
    assert added["metric_id"] is None and added["extracted_value"] is None and added["value"] == 69
    assert added["correction_action"] == "add" and added["corrected_by"] == "carol" and added["is_chosen_value"]
    report_text = rows("select text from core.report where report_id = :r", r=xiushan)[0]["text"]
    assert report_text[added["start_offset"]:added["end_offset"]] == added["evidence"] == "办理行政复议69件"
    # The added count is the base of the correction rate now, read from its own passage.
    (rate,) = rows("select * from marts.cmp_correction_rate where jurisdiction_code = '500241' and report_year = 2023")
    assert rate["denominator_basis"] == "reconsideration.closed" and rate["recomputed_rate"] == 13.04


def test_corrections_travel_as_csv_and_can_be_revoked(folder, tmp_path):
    before = tmp_path / "before.csv"
    fazhi("corrections", "export", "--out", str(before))
    with before.open(encoding="utf-8-sig") as f:
        exported = list(csv.DictReader(f))
    assert len(exported) == 3 and {r["corrected_by"] for r in exported} == {"alice", "bob", "carol"}
    (rate_fix,) = [r for r in exported if r["indicator_code"] == RATE]
    revoked_id = rows("select correction_id from core.correction where correction_uid = :u",
                      u=rate_fix["correction_uid"])[0]["correction_id"]
    fazhi("corrections", "revoke", str(revoked_id), "--by", "dave")
    after = tmp_path / "after.csv"
    fazhi("corrections", "export", "--out", str(after))

    # Another team's warehouse: empty of corrections, then the shared file, twice.
    with engine().begin() as conn:
        conn.execute(text("delete from core.correction"))
    assert "3 added, 0 revoked, 0 already here" in fazhi("corrections", "import", str(after)).stderr
    assert "0 added, 0 revoked, 3 already here" in fazhi("corrections", "import", str(after)).stderr
    imported = {r["correction_uid"]: r for r in rows("select * from core.correction")}
    assert imported[rate_fix["correction_uid"]]["revoked_by"] == "dave"
    assert {r["reason"] for r in imported.values()} == {r["reason"] for r in exported}

    # A row that does not parse: nothing is imported, the line is named.
    bad = tmp_path / "bad.csv"
    lines = before.read_text(encoding="utf-8-sig").splitlines()
    bad.write_text("\n".join([lines[0], lines[1].replace(",set,", ",fix,").replace(",delete,", ",fix,")
                              .replace(",add,", ",fix,")]) + "\n", encoding="utf-8")
    with engine().begin() as conn:
        conn.execute(text("delete from core.correction"))
    done = fazhi("corrections", "import", str(bad), ok=False)
    assert done.returncode == 2 and "row 2: action must be" in done.stderr and "nothing imported" in done.stderr
    assert rows("select count(*) as n from core.correction")[0]["n"] == 0

    # Revoked: the extracted rate is back; the deletion still holds.
    fazhi("corrections", "import", str(after))
    build()
    latest = wulong()
    assert latest["reported_rate"] == 98.76
    (aid,) = figures(latest["report_id"], "legal_aid.cases")
    assert aid["is_deleted"]
