from decimal import Decimal

from fazhi.web.pages import figure


def test_qualifiers_sit_where_reports_write_them():
    assert figure(Decimal(700), "人", "余") == "700余人"
    assert figure(Decimal("97"), "%", "以上") == "97%以上"
    assert figure(Decimal(50), "件", "近") == "近50件"
    assert figure(Decimal("98.76"), "%", None) == "98.76%"
