"""A listed place's figure is stored with its place as its breakdown: the marts count it as no total."""
from decimal import Decimal

from ingest.extract import Metric
from ingest.load.copyrows import metric_rows


def test_a_place_is_the_breakdown_of_its_row_unless_it_has_one():
    def row(breakdown, place):
        m = Metric("legal_aid.cases", Decimal(830), "件", None, "jurisdiction", "830件", 0, 4, 1, breakdown=breakdown,
                   place=place)
        return metric_rows([m]).split("\t")[6]
    place = {"name": "山东省济南市历城区", "code": "370112", "level": "county"}
    assert row(None, place) == "山东省济南市历城区"
    assert row("涉企", place) == "涉企"
    assert row(None, None) == "\\N"
