"""A listed place's code and full name come from the division index, near the report's own place."""
from decimal import Decimal

from ingest.extract import Metric
from ingest.parse import parse_bytes
from ingest.parse.jurisdiction import Resolution
from ingest.parse.report import resolve_places


def metric(name: str, level: str | None = "county") -> Metric:
    return Metric("litigation.closed", Decimal(10), "件", None, "jurisdiction", "", 0, 0, None,
                  place={"name": name, "code": None, "level": level})


def test_names_resolve_near_the_reports_place_and_the_own_place_is_dropped():
    jinan = Resolution(name="山东省济南市", code="370100", level="city")
    ms = [metric("历下区"), metric("市中区"), metric("济南市", "city"), metric("市中院", "city"),
          metric("历下区、槐荫区"), metric("潍坊", None)]
    resolve_places(ms, jinan, 2023)
    assert [m.place for m in ms] == [
        {"name": "山东省济南市历下区", "code": "370102", "level": "county"},
        {"name": "山东省济南市市中区", "code": "370103", "level": "county"},   # the one of this city
        None,                                                              # the report's own place
        {"name": "市中院", "code": None, "level": "city"},                  # a body: no 市中区 inside it
        {"name": "历下区、槐荫区", "code": None, "level": "county"},          # a group keeps its names
        {"name": "山东省潍坊市", "code": "370700", "level": "city"}]


def test_an_ambiguous_name_keeps_no_code():
    ms = [metric("桥西区")]
    resolve_places(ms, Resolution(name="河北省", code="130000", level="province"), 2023)
    assert ms[0].place == {"name": "桥西区", "code": None, "level": "county"}


def test_a_province_page_parsed_end_to_end():
    text = ("河北省司法厅关于2023年行政复议工作情况的通报\n2023年,全省各级行政复议机关共收到行政复议申请8800件。"
            "其中,石家庄市收到行政复议申请1520件,唐山市收到1100件。\n")
    got = [(m.value, m.place and m.place["code"]) for m in parse_bytes(text.encode(), "x.txt").metrics]
    assert got == [(8800, None), (1520, "130100"), (1100, "130200")]
