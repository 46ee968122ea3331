"""Reading real-shaped files: encodings, saved pages, and input that is not a report."""
import gzip

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# ---- HTML tables: one line per row, cells joined by " | " ------------------------------------

def _text(body: str) -> str:
    from ingest.read.readers.html import html_to_text

    return html_to_text(f"<html><body>{body}</body></html>")[0]


def test_table_rows_with_colspan_and_rowspan_stay_aligned():
    text = _text("""<p>表1</p><table>
<tr><th>指标</th><th>类别</th><th>2023年</th></tr>
<tr><td rowspan="2">行政复议</td><td>收案</td><td>57</td></tr>
<tr><td>纠错</td><td>9</td></tr>
<tr><td colspan="2">合计</td><td>66</td></tr>
<tr><td>行政
  诉讼</td><td><p>一审</p><p>开庭</p></td><td>83</td></tr>
</table><p>说明段落。</p>""")
    assert text == ("表1\n\n指标 | 类别 | 2023年\n行政复议 | 收案 | 57\n行政复议 | 纠错 | 9\n合计 | 合计 | 66\n"
                    "行政诉讼 | 一审 开庭 | 83\n\n说明段落。")


def test_header_table_and_inline_markup():
    text = _text("""<table><tr><td>发布机构：</td><td>重庆市渝北区人民政府</td><td>成文日期：</td><td>2024-03-01</td></tr>
<tr><td>名称：</td><td colspan="3">关于2023年度法治政府建设情况的报告</td></tr></table>
<div>全年办理<strong>行政复议</strong>案件<span> 57 </span>件，<a href="#">详见</a>附件。</div>""")
    lines = text.split("\n")
    assert lines[0] == "发布机构： | 重庆市渝北区人民政府 | 成文日期： | 2024-03-01"
    assert lines[1].startswith("名称： | 关于2023年度法治政府建设情况的报告 | 关于")
    assert lines[2] == "" and lines[3] == "全年办理行政复议案件 57 件，详见附件。"


def test_source_line_wraps_are_not_spaces_between_chinese_characters():
    text = _text("<p class=MsoNormal><span>全年办理\r\n行政复议案件</span><span>57件</span>，\n其中纠错\n9件。</p>"
                 "<p>法治\n  政府 建设</p><p>Rule of\nlaw</p>")
    assert text == "全年办理行政复议案件57件，其中纠错9件。\n法治政府 建设\nRule of law"


def test_layout_table_holding_the_article_keeps_its_paragraphs():
    article = "".join(f"<p>第{n}段：全县坚持依法行政，全面推进法治政府建设，各项工作取得明显成效。</p>" for n in "一二三")
    text = _text(f"""<table><tr><td>logo</td><td>巫溪县人民政府</td></tr>
<tr><td colspan="2"><h1>巫溪县2023年法治政府建设情况报告</h1>{article}
<table><tr><td>指标</td><td>2023年</td></tr><tr><td>行政复议收案</td><td>57</td></tr></table></td></tr>
<tr><td>栏目导航</td><td>{article}</td></tr></table>""")
    lines = [ln for ln in text.split("\n") if ln]
    assert lines[:3] == ["logo | 巫溪县人民政府", "巫溪县2023年法治政府建设情况报告",
                         "第一段：全县坚持依法行政，全面推进法治政府建设，各项工作取得明显成效。"]
    assert "指标 | 2023年" in lines and "行政复议收案 | 57" in lines
    assert lines[-4:] == ["栏目导航"] + [f"第{n}段：全县坚持依法行政，全面推进法治政府建设，各项工作取得明显成效。"
                                        for n in "一二三"]


def test_table_figures_reach_extraction_and_metadata():
    page = """<html><body><div class="content"><h2>2023年鼓楼区行政复议案件统计表</h2>
<p>发布日期：2024-01-15 信息来源：南京市鼓楼区司法局</p>
<table><tr><td>指标</td><td>2022年</td><td>2023年</td></tr><tr><td>行政复议收案</td><td>48</td><td>57</td></tr></table>
</div></body></html>"""
    parsed = parse_bytes(page.encode("utf-8"), "stats.html", is_html=True)
    assert "\n\n指标 | 2022年 | 2023年\n行政复议收案 | 48 | 57\n" in parsed.doc.text
    assert (parsed.meta.title, parsed.meta.issuer) == ("2023年鼓楼区行政复议案件统计表", "南京市鼓楼区司法局")
    assert parsed.jurisdiction.code == "320106"


def test_a_malformed_tag_does_not_swallow_the_page():
    # lxml reads "<?" as a processing instruction that runs to the next ">": the article vanished.
    parsed = parse_bytes("<html><body><p><?\n全年办理行政复议案件12件。</p></body></html>".encode("utf-8"), "bad.html", True)
    assert [(m.indicator, m.value) for m in parsed.metrics] == [("reconsideration.handled", 12)]


# ---- damaged input: bad bytes and control characters are repaired, with a warning ----------

def _evidence_holds(parsed):
    for m in parsed.metrics:
        assert parsed.doc.text[m.start:m.end] == m.evidence


@pytest.mark.parametrize("encoding, name", [("utf-8", "utf-8"), ("gb18030", "gb18030")])
def test_a_few_undecodable_bytes_are_replaced_not_fatal(seed, encoding, name):
    text, expected = seed
    data = text.encode(encoding)
    lines = data.split(b"\n")
    marks = [i for i in range(20, len(lines)) if lines[i].strip()][:3]
    damaged = b"\n".join(line + b"\xff" if i in marks else line for i, line in enumerate(lines))
    parsed = parse_bytes(damaged, "damaged.txt")
    assert parsed.doc.encoding == name
    assert parsed.warnings == ["replaced 3 undecodable bytes"]
    assert parsed.doc.text.count("\ufffd") == text.count("\ufffd") + 3
    assert facts(parsed) == expected
    _evidence_holds(parsed)


def test_a_nul_in_the_text_is_removed(seed):
    text, expected = seed
    at = text.index("\n", len(text) // 2)
    parsed = parse_bytes((text[:at] + "\x00" + text[at:]).encode("utf-8"), "nul.txt")
    assert "\x00" not in parsed.doc.text
    assert parsed.warnings == ["removed 1 control character"]
    assert facts(parsed) == expected
    _evidence_holds(parsed)


def test_control_characters_are_removed_and_form_feeds_break_lines():
    text = seed_text("003")
    noisy = text.replace("\n\n", "\n\x0c\n", 1).replace("。", "。\x07", 2).replace("。", "\x1b。\x7f", 1) + "\x85"
    assert sum(noisy.count(ch) for ch in "\x07\x1b\x7f\x85") == 5
    parsed = parse_bytes(noisy.encode("utf-8"), "noisy.txt")
    assert parsed.warnings == ["removed 5 control characters"]
    assert not any(ch in parsed.doc.text for ch in "\x07\x0c\x1b\x7f\x85")
    assert facts(parsed) == facts(parse_bytes(text.encode("utf-8"), "seed.txt"))
    assert parsed.as_json()["warnings"] == ["removed 5 control characters"]


def test_a_nul_in_a_saved_page_is_removed_not_read_as_a_line_break():
    text = seed_text("002")
    page = as_html_page(text).replace("纠错数9件", "纠错数\x009件")
    parsed = parse_bytes(page.encode("utf-8"), "page.html", is_html=True)
    assert parsed.warnings == ["removed 1 control character"]
    assert any(m.indicator == "reconsideration.corrected" and m.value == 9 for m in parsed.metrics)


def test_a_mostly_undecodable_file_is_refused():
    data = seed_text("001").encode("utf-8")
    garbled = b"".join(data[i:i + 2] + b"\xff" for i in range(0, len(data), 2))   # a third of the bytes bad
    with pytest.raises(UnreadableFile, match=r"^wrongly encoded: \d+% of bytes undecodable in every encoding tried"):
        parse_bytes(garbled, "garbled.txt")


def test_a_stray_nul_near_the_start_is_no_binary_file():
    text = seed_text("000")
    parsed = parse_bytes(("\x00" + text).encode("utf-8"), "nul-first.txt")
    assert parsed.warnings == ["removed 1 control character"] and parsed.meta.report_year == 2023


def test_the_content_decides_the_reader_not_the_name():
    # A damaged PDF named .txt is read, and refused, as a PDF; a gzip archive is named as one.
    with pytest.raises(UnreadableFile, match="PDF"):
        parse_bytes(b"%PDF-1.7\n" + seed_text("000").encode("utf-8"), "report.txt")
    with pytest.raises(UnreadableFile, match="^unsupported format: gzip archive"):
        parse_bytes(gzip.compress(seed_text("000").encode("utf-8")), "report.txt")


def test_a_clean_file_has_no_warnings(seed):
    text, _ = seed
    assert parse_bytes(text.encode("utf-8"), "seed.txt").warnings == []


# Damage inside the text: a file that only ends inside a character was cut short, and is
# refused with its reason (the "truncated UTF-8" case above).
@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1, exclude_max=True),
                          st.sampled_from([b"\x00", b"\xff", b"\x80", b"\x1b", b"\xc2\x85", b"\xe6\xb3", b"\x7f"])),
                min_size=1, max_size=8))
def test_damage_anywhere_is_repaired_and_offsets_stay_exact(damage):
    data = bytearray(seed_text("004").encode("utf-8"))
    for where, junk in sorted(damage, reverse=True):
        data[int(where * len(data)):int(where * len(data))] = junk
    parsed = parse_bytes(bytes(data), "damaged.txt")
    assert parsed.warnings and all(w.startswith(("replaced ", "removed ")) for w in parsed.warnings)
    assert not any(ch in parsed.doc.text for ch in "\x00\x1b\x7f\x85")
    for m in parsed.metrics:
        assert parsed.doc.text[m.start:m.end] == m.evidence



def look_alikes() -> dict[str, str]:
    """Ideograph -> a Kangxi radical or compatibility ideograph that looks like it, as Chromium,
    WPS and Word PDF exports write them (⼈ for 人), plus the radicals-supplement ones (⺠ for 民)."""
    import unicodedata
    out = {"民": "\u2ea0", "门": "\u2ed4", "长": "\u2ed3", "见": "\u2ec5", "车": "\u2ecb", "马": "\u2ee2"}
    for cp in [*range(0x2F00, 0x2FD6), *range(0xF900, 0xFB00)]:
        target = unicodedata.normalize("NFKC", chr(cp))
        if len(target) == 1 and target != chr(cp):
            out.setdefault(target, chr(cp))
    return out


def test_kangxi_radicals_and_compatibility_ideographs_read_as_the_ideographs():
    text = seed_text("002")
    alike = look_alikes()
    swapped = "".join(alike.get(ch, ch) for ch in text)
    assert sum(a != b for a, b in zip(text, swapped)) > len(text) // 10
    for page in (lambda t: t, as_html_page):
        plain = parse_bytes(page(text).encode("utf-8"), "plain.txt")
        looked = parse_bytes(page(swapped).encode("utf-8"), "kangxi.txt")
        assert looked.doc.text == plain.doc.text   # one character for one: every offset is the same
        assert facts(looked) == facts(plain) and looked.metrics


TABLE_ONLY = [("行政复议收案数", "57", "件", "reconsideration.received"),
              ("行政复议纠错数", "9", "件", "reconsideration.corrected"),
              ("行政诉讼一审案件", "120", "件", "litigation.cases"),
              ("行政机关负责人出庭应诉率", "100", "%", "litigation.head_appearance_rate")]


def test_a_report_whose_figures_are_only_in_a_table_yields_them_with_the_row_as_evidence():
    rows = "".join(f"<tr><td>{a}</td><td>{b}</td><td>{c}</td></tr>" for a, b, c, _ in TABLE_ONLY)
    page = (f"<html><body><h1>某某县司法局2023年法治政府建设年度报告</h1><p>2023年，主要数据如下。</p>"
            f"<table><tr><th>指标</th><th>数量</th><th>单位</th></tr>{rows}</table></body></html>")
    parsed = parse_bytes(page.encode("utf-8"), "table.html")
    got = {(m.indicator, m.value, m.evidence) for m in parsed.metrics}
    assert got == {(code, float(value), f"{label} | {value} | {unit}") for label, value, unit, code in TABLE_ONLY}
    for m in parsed.metrics:
        assert parsed.doc.text[m.start:m.end] in m.evidence
