"""The one validation of a correction's value (corrections.check_value), shared by `fazhi correct`,
`corrections import` and whatever comes next: the CLI tests prove both commands go through it."""
from collections import namedtuple
from decimal import Decimal

import pytest

from fazhi.research.corrections import check_value, parse_value, written_unit
from ingest.errors import EXIT_USAGE, FazhiError

Ind = namedtuple("Ind", "code unit kind min_value max_value")
RATE = Ind("litigation.head_appearance_rate", "%", "rate", Decimal(0), Decimal(100))
COUNT = Ind("reconsideration.handled", "件", "count", Decimal(0), Decimal(5000000))
AMOUNT = Ind("compensation.amount", "元", "amount", None, None)


def refused(ind, action, raw, unit=None) -> str:
    with pytest.raises(FazhiError) as exc:
        check_value(ind, action, parse_value(raw), unit if unit is not None else written_unit(raw))
    assert exc.value.code == EXIT_USAGE and "\n" not in str(exc.value)
    return str(exc.value)


@pytest.mark.parametrize("ind, raw", [(RATE, "96.39"), (RATE, "96.39%"), (RATE, "0"), (COUNT, "437"),
                                      (COUNT, "1,234"), (AMOUNT, "123456.78"), (AMOUNT, "99999999999999")])
def test_values_that_make_sense_pass(ind, raw):
    check_value(ind, "set", parse_value(raw), written_unit(raw))


@pytest.mark.parametrize("ind, raw, why", [
    (RATE, "1e400", "10^15"), (AMOUNT, "1e400", "10^15"), (AMOUNT, "1" + "0" * 308, "10^15"),
    (AMOUNT, "1e-400", "decimal places"), (RATE, "NaN", "finite"), (RATE, "Infinity", "finite"),
    (RATE, "-5", "negative"), (RATE, "120", "plausible range"), (COUNT, "3.5", "whole number"),
    (COUNT, "96%", "unit"),
])
def test_values_that_do_not_are_refused(ind, raw, why):
    assert why in refused(ind, "set", raw)


def test_a_unit_column_must_be_the_indicators():
    assert "unit" in refused(RATE, "add", "96", "件")
    check_value(RATE, "add", Decimal(96), "%")


def test_a_delete_names_any_figure_a_warehouse_holds():
    check_value(RATE, "delete", Decimal(120))     # an out-of-range figure is often the false one
    check_value(RATE, "delete", None)             # every figure
    assert "10^15" in refused(RATE, "delete", "1e400")
    assert "needs a value" in refused(RATE, "set", "")


def test_not_a_number():
    with pytest.raises(FazhiError, match="must be a number"):
        parse_value("九十")
