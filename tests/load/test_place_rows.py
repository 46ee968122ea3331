"""A listed place's figure is stored with its place in its own columns (place_code, place_name,
place_level), its breakdown untouched: the marts never count it as its page's total."""
from decimal import Decimal

from ingest.extract import Metric
from ingest.load.copyrows import METRIC_COLUMNS, metric_rows


def test_a_listed_place_is_stored_in_the_place_columns():
    def row(breakdown, place):
        m = Metric("legal_aid.cases", Decimal(830), "件", None, "jurisdiction", "830件", 0, 4, 1, breakdown=breakdown,
                   place=place, confidence=0.91)
        return dict(zip(METRIC_COLUMNS[1:], metric_rows([m]).rstrip("\n").split("\t")))
    place = {"name": "山东省济南市历城区", "code": "370112", "level": "county"}
    got = row(None, place)
    assert (got["breakdown"], got["place_code"], got["place_name"], got["place_level"], got["confidence"]) == \
        ("\\N", "370112", "山东省济南市历城区", "county", "0.91")
    assert row("涉企", place)["breakdown"] == "涉企"
    assert row(None, None)["place_name"] == "\\N"
    assert row(None, {"name": "历城区", "code": None, "level": None})["place_code"] == "\\N"
