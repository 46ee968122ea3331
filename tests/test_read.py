"""Reading real-shaped files: encodings, saved pages, and input that is not a report."""
import pytest

from conftest import SEEDS, seed_text
from ingest.parse import parse_bytes
from ingest.read import UnreadableFile, read_bytes
from shapes import as_html_page, with_full_width_digits


def facts(parsed):
    j = parsed.jurisdiction.as_json()
    meta = (parsed.meta.title, j["name"], j["code"], j["level"], parsed.meta.report_year,
            parsed.meta.published_on, parsed.meta.issuer)
    metrics = sorted((m.indicator, m.value, m.unit, m.qualifier or "", m.scope) for m in parsed.metrics)
    return meta, metrics


@pytest.fixture(scope="module", params=[p.name[:3] for p in SEEDS])
def seed(request):
    text = seed_text(request.param)
    return text, facts(parse_bytes(text.encode("utf-8"), "seed.txt"))


def test_gbk_bytes_parse_the_same(seed):
    text, expected = seed
    parsed = parse_bytes(text.encode("gb18030"), "seed-gbk.txt")
    assert parsed.doc.encoding == "gb18030"
    assert facts(parsed) == expected


def test_utf8_bom_parses_the_same(seed):
    text, expected = seed
    parsed = parse_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"), "seed-bom.txt")
    assert parsed.doc.encoding == "utf-8-sig"
    assert facts(parsed) == expected


def test_full_width_digits_parse_the_same(seed):
    text, expected = seed
    parsed = parse_bytes(with_full_width_digits(text).encode("utf-8"), "seed-fw.txt")
    assert facts(parsed) == expected
    # Offsets index the stored (normalised) text, which is as long as the text as read.
    assert len(parsed.doc.text) == len(read_bytes(with_full_width_digits(text).encode("utf-8")).text)
    for m in parsed.metrics:
        assert parsed.doc.text[m.start:m.end] == m.evidence


def test_mojibake_is_repaired(seed):
    text, expected = seed
    garbled = text.encode("utf-8").decode("latin-1").encode("utf-8")
    parsed = parse_bytes(garbled, "seed-mojibake.txt")
    assert parsed.doc.encoding == "utf-8-mojibake"
    assert facts(parsed) == expected


def test_saved_html_page_parses_the_same(seed):
    text, expected = seed
    page = as_html_page(text)
    parsed = parse_bytes(page.encode("utf-8"), "page.html", is_html=True)
    assert parsed.doc.file_format == "html"
    assert facts(parsed) == expected
    assert "国务院部门网站" not in parsed.doc.text and "机构概况" not in parsed.doc.text
    assert "var x" not in parsed.doc.text


def test_gbk_html_page_with_declared_charset():
    text = seed_text("002")
    page = as_html_page(text).replace('charset="utf-8"', 'charset="gbk"').encode("gb18030")
    parsed = parse_bytes(page, "page.htm", is_html=True)
    assert parsed.jurisdiction.code == "500241"
    assert any(m.indicator == "reconsideration.corrected" and m.value == 9 for m in parsed.metrics)


def test_big5_text_is_detected():
    text = "臺北市政府法治政府建設年度報告\n" + "依法行政，推進法治政府建設，辦理行政復議案件十件。" * 20
    doc = read_bytes(text.encode("big5"), "big5.txt")
    assert doc.encoding == "big5" and "依法行政" in doc.text


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"),
    (b"   \n\n ", "empty file"),
    (bytes(range(256)) * 20, "binary file"),
    ("The weather is fine today.".encode("utf-8"), "not a report: no Chinese text"),
    ("法治政府建设".encode("utf-8") * 100 + "报告".encode("utf-8")[:-1], "truncated UTF-8"),
])
def test_bad_input_gets_one_line_reason(data, reason):
    with pytest.raises(UnreadableFile) as exc:
        parse_bytes(data, "bad.txt")
    assert reason in str(exc.value) and "\n" not in str(exc.value)


def test_a_text_that_is_no_report_is_still_parsed_and_states_nothing():
    parsed = parse_bytes(("会议纪要:讨论了食堂菜单和停车位安排。" * 40).encode("utf-8"), "menu.txt")
    assert parsed.kind == "other" and parsed.metrics == []


def test_a_short_text_with_a_figure_is_read():
    parsed = parse_bytes("全年办理行政复议案件12件。".encode("utf-8"), "short.txt")
    assert [(m.indicator, m.value) for m in parsed.metrics] == [("reconsideration.handled", 12)]
