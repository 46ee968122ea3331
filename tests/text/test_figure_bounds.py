"""The one rule for what a stored figure can be (ingest.text.figure_problem), and extraction
applying it: a value no view could read is named in the report's warnings, never stored."""
from decimal import Decimal

import pytest

from ingest.parse import parse_bytes
from ingest.text import MAX_FIGURE, figure_problem


@pytest.mark.parametrize("value", ["0", "437", "98.76", "0.000001", "1.500000000", "999999999999999.5",
                                   "1.2E+11", "0E-30"])
def test_figures_the_marts_can_read_pass(value):
    assert figure_problem(Decimal(value)) is None


@pytest.mark.parametrize("value, why", [
    ("9" * 309, "not below 10^15"),          # the cast to double precision fails on it
    ("1" + "0" * 400, "not below 10^15"),
    (str(MAX_FIGURE), "not below 10^15"),
    ("1E+400", "not below 10^15"),
    ("1E+999999999", "not below 10^15"),      # named without writing out a billion digits
    ("1E-999999999", "more than 6 decimal places"),
    ("0." + "0" * 400 + "1", "more than 6 decimal places"),   # underflows double precision: fails too
    ("0.0000001", "more than 6 decimal places"),
    ("1." + "0" * 20000 + "1", "more than 6 decimal places"),  # past numeric's 16383 decimals
    ("NaN", "not a finite number"),
    ("Infinity", "not a finite number"),
    ("-5", "negative"),
])
def test_other_values_are_refused_with_a_reason(value, why):
    problem = figure_problem(Decimal(value))
    assert problem is not None and why in problem
    assert len(problem) < 120   # a 20000-digit number is named by its head and length, on one line


def report(figure: str, rate: str = "98") -> bytes:
    return (f"某县2023年法治政府建设情况报告\n\n一、法治政府建设工作成效\n\n"
            f"2023年,全县办理行政复议案件{figure}件,行政机关负责人出庭应诉率达到{rate}%。\n").encode()


@pytest.mark.parametrize("digits", [309, 400, 5000])
def test_extraction_keeps_a_number_too_large_out_and_says_so(digits):
    parsed = parse_bytes(report("9" * digits))
    assert [m.indicator for m in parsed.metrics] == ["litigation.head_appearance_rate"]
    (warning,) = [w for w in parsed.warnings if w.startswith("figure not stored")]
    assert "reconsideration.handled" in warning and "digits)" in warning and "10^15" in warning
    assert digits > 900 or f"({digits} digits)" in warning   # (a run that long is read in parts)
    # The figures kept are the report's other figures, read as before.
    assert parse_bytes(report("69")).metrics[0].value == 69


@pytest.mark.parametrize("rate", ["0." + "0" * 400 + "1", "12.0000001"])
def test_extraction_keeps_a_number_too_fine_out(rate):
    parsed = parse_bytes(report("69", rate))
    assert [(m.indicator, m.value) for m in parsed.metrics] == [("reconsideration.handled", 69)]
    (warning,) = [w for w in parsed.warnings if w.startswith("figure not stored")]
    assert "litigation.head_appearance_rate" in warning and "more than 6 decimal places" in warning
    assert parse_bytes(report("69", "12.000001")).metrics[1].value == Decimal("12.000001")
