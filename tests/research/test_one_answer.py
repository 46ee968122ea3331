"""One answer everywhere (issue 23): a place-year-rate reads the same in the comparison mart, its
Chinese twin, the long and the wide panel, the CSV, Parquet and Stata exports and `fazhi plot`'s
data, with the same source and correction flag, before and after `fazhi correct`; the exports are
typed, labelled and named alike; `fazhi codebook` lists every indicator, escaped.
Real warehouse: the bundled samples through a real `fazhi build`."""
import html
import subprocess
import sys

import pandas as pd
import pyarrow.parquet as pq
import pytest
from sqlalchemy import text

from conftest import ROOT
from fazhi.research import codebook
from fazhi.research.export import export_panel, mapping_path
from fazhi.research.labels import VALUE_LABELS
from fazhi.research.plot import indicator_values
from fazhi.warehouse import engine

pytestmark = pytest.mark.db

LIMIT = 600   # seconds a `fazhi build` of the samples may take on a busy machine
WULONG, XIUSHAN = "500156", "500241"
HEAD, CORRECTION = "litigation.head_appearance_rate", "reconsideration.correction_rate"
MARTS = {HEAD: ("cmp_head_appearance_rate", "出庭应诉率"), CORRECTION: ("cmp_correction_rate", "复议纠错率")}
ZH_SOURCES = {zh: code for code, zh in VALUE_LABELS["chosen_source"].items()}


def fazhi(*args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "fazhi", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=LIMIT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    return done


def one(sql: str, **params) -> dict:
    with engine().connect() as conn:
        return dict(conn.execute(text(sql), params).mappings().one())


@pytest.fixture(scope="module")
def warehouse(fresh_schema):
    fazhi("build")


def exported(tmp_path, wide: bool) -> dict[str, pd.DataFrame]:
    frames = {}
    with engine().connect() as conn:
        for fmt in ("csv", "parquet", "dta"):
            out = tmp_path / f"panel{'_wide' if wide else ''}.{fmt}"
            export_panel(conn, fmt, out, wide)
            frames[fmt] = {"csv": lambda p: pd.read_csv(p, encoding="utf-8-sig", dtype={"jurisdiction_code": str}),
                           "parquet": pd.read_parquet, "dta": pd.read_stata}[fmt](out)
    return frames


def readings(tmp_path, code: str, rate: str) -> tuple[dict, dict]:
    """The place's 2023 rate on every surface: {surface: value}, {surface: (source, is_corrected)}."""
    mart, zh = MARTS[rate]
    values, meta = {}, {}
    row = one(f"select * from marts.{mart} where jurisdiction_code = :c and report_year = 2023", c=code)
    values["cmp"], meta["cmp"] = row["chosen_rate"], (row["chosen_rate_source"], row["is_corrected"])
    row = one(f'select * from marts_zh."{zh}" where "区划代码" = :c and "年份" = 2023', c=code)
    values["zh"], meta["zh"] = row[zh], (ZH_SOURCES[row["采用依据"]], row["已更正"])
    row = one("""select * from marts.indicator_panel where jurisdiction_code = :c and report_year = 2023
                 and indicator_code = :i and scope = 'jurisdiction'""", c=code, i=rate)
    values["panel"], meta["panel"] = row["value"], (row["chosen_source"], row["is_corrected"])
    column = rate.replace(".", "__")
    values["wide"] = one(f"select {column} as v from marts.indicator_panel_wide where jurisdiction_code = :c "
                         "and report_year = 2023", c=code)["v"]
    for fmt, df in exported(tmp_path, wide=False).items():
        # Stata holds kind, scope and source as labelled numbers: read back as their Chinese labels.
        scope = "全地区" if fmt == "dta" else "jurisdiction"
        (i,) = df.index[(df["jurisdiction_code"].astype(str) == code) & (df["indicator_code"] == rate)
                        & (df["scope"] == scope) & (df["report_year"] == 2023)]
        source = df.at[i, "chosen_source"]
        values[fmt] = float(df.at[i, "value"])
        meta[fmt] = (ZH_SOURCES.get(source, source), bool(df.at[i, "is_corrected"]))
    for fmt, df in exported(tmp_path, wide=True).items():
        (i,) = df.index[(df["jurisdiction_code"].astype(str) == code) & (df["report_year"] == 2023)]
        values[f"{fmt} wide"] = float(df.at[i, column])
    with engine().connect() as conn:
        (bar,) = [r for r in indicator_values(conn, rate, 2023) if r.jurisdiction_code == code]
    values["plot"], meta["plot"] = float(bar.value), (bar.chosen_source, bar.is_corrected)
    return values, meta


def assert_one_answer(tmp_path, code: str, rate: str, value: float, source: str, corrected: bool) -> None:
    values, meta = readings(tmp_path, code, rate)
    assert values == dict.fromkeys(values, value), values
    assert meta == dict.fromkeys(meta, (source, corrected)), meta


def test_the_same_rate_everywhere_before_and_after_a_correction(warehouse, tmp_path):
    # 秀山 2023 states no correction rate: 9 corrected of 69 handled gives 13.04, on every surface
    # (plot found nothing and the wide panel's column was empty when only cmp_* recomputed).
    assert_one_answer(tmp_path, XIUSHAN, CORRECTION, 13.04, "recomputed", False)
    # 武隆 2023 states 98.76 (its counts give 96.39): the stated rate, everywhere.
    assert_one_answer(tmp_path, WULONG, HEAD, 98.76, "stated", False)

    wulong = one(f"select report_id from marts.cmp_head_appearance_rate where jurisdiction_code = '{WULONG}' "
                 "and report_year = 2023")["report_id"]
    xiushan = one(f"select report_id from marts.cmp_correction_rate where jurisdiction_code = '{XIUSHAN}' "
                  "and report_year = 2023")["report_id"]
    fazhi("correct", str(wulong), HEAD, "96.39", "--reason", "报告比率与出庭80件/开庭83件不符", "--by", "alice")
    fazhi("correct", str(xiushan), "reconsideration.corrected", "10", "--reason", "核对原文: 纠错10件", "--by", "bob")
    fazhi("build")

    assert_one_answer(tmp_path, WULONG, HEAD, 96.39, "corrected", True)
    # A rate recomputed from a corrected count: recomputed, and flagged as corrected.
    assert_one_answer(tmp_path, XIUSHAN, CORRECTION, 14.49, "recomputed", True)
    row = one(f"select * from marts.cmp_correction_rate where jurisdiction_code = '{XIUSHAN}' and report_year = 2023")
    assert (row["corrected_by"], row["correction_reason"]) == ("bob", "核对原文: 纠错10件")
    # The audit keeps 武隆's discrepancy, resolved by alice's correction.
    audit = one(f"select * from marts.audit_rate_discrepancy where report_id = :r and indicator_code = '{HEAD}'"
                " and scope = 'jurisdiction'", r=wulong)
    assert (audit["resolution"], audit["resolved_by"], audit["extracted_gap_points"]) == ("resolved", "alice", 2.37)


def test_exports_are_typed_labelled_and_named_alike(warehouse, tmp_path):
    for wide in (False, True):
        frames = exported(tmp_path, wide)
        names = [list(df.columns) for df in frames.values()]
        assert names[0] == names[1] == names[2], "one set of column names in CSV, Parquet and Stata"
        assert all(len(n) <= 32 for n in names[0])
        mapping = pd.read_csv(mapping_path(tmp_path / f"panel{'_wide' if wide else ''}.csv"), encoding="utf-8-sig")
        assert list(mapping["name"]) == names[0]
    # The wide panel has indicators no sample states: all empty, still numbers in Parquet and Stata.
    wide = tmp_path / "panel_wide"
    schema = pq.read_schema(wide.with_suffix(".parquet"))
    stata = pd.read_stata(wide.with_suffix(".dta"))
    with engine().connect() as conn:   # empty in the warehouse, whatever an export made of them
        table = conn.execute(text("select * from marts.indicator_panel_wide")).mappings().all()
    mapping = pd.read_csv(mapping_path(wide.with_suffix(".dta")), encoding="utf-8-sig")
    empty = [name for name, column in zip(mapping["name"], mapping["column"])
             if "__" in column and all(r[column] is None for r in table)]
    assert empty, "the samples leave some core indicator empty"
    for column in empty:
        assert str(schema.field(column).type) == "double", column
        assert stata[column].dtype.kind == "f", column
    with pd.read_stata(wide.with_suffix(".dta"), iterator=True) as reader:
        labels, title = reader.variable_labels(), reader.data_label
    assert labels["display_name"] == "地区" and labels["jurisdiction_name"] == "地区全称"
    assert labels["reconsideration__correction_rate"] == "行政复议纠错率 (%)" and "法治政府" in title
    # The long panel: labelled codes for kind and scope, and a correction's time as a date-time.
    with pd.read_stata(tmp_path / "panel.dta", iterator=True) as long:
        value_labels = long.value_labels()
    assert "全地区" in value_labels["scope"].values() and "年度报告" in value_labels["source_kind"].values()
    assert str(pq.read_schema(tmp_path / "panel.parquet").field("corrected_at").type).startswith("timestamp")


def test_codebook_lists_every_indicator_and_escapes_html(tmp_path):
    done = fazhi("codebook", "--out", str(tmp_path))
    assert "indicators" in done.stderr
    page = (tmp_path / "codebook.html").read_text(encoding="utf-8")
    md = (tmp_path / "codebook.md").read_text(encoding="utf-8")
    for i in codebook.catalogue():
        assert f"<code>{html.escape(i.code)}</code>" in page and f"`{i.code}`" in md
    assert "listed by &lt;kind&gt;" in page and "listed by <kind>" not in page   # descriptions, escaped
    assert 'marts_zh."面板"' in md and "int_chosen_values" in md and "position_in_year" in md
    # Whatever a description holds, the page shows it as text.
    hostile = codebook.Indicator("x.y", "<b>名</b>", "件", "count", True, "<script>alert(1)</script>", 0, 5,
                                 ['a"<img src=x>'], ["marts.x (<i>)"])
    view = codebook.View("marts.<v>", "v", "<script>", [("<c>", "&")])
    out = codebook.html_page([hostile], [view], {"rates": []}, {"<rule>": "<script>"})
    assert "<script>" not in out and "<img" not in out and "<b>名" not in out and "<c>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
