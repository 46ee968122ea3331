"""Word documents: .docx read directly, .doc/.wps/.rtf through LibreOffice. Every document is
built here (tests/docxgen.py) from the seed reports or a few lines; no binary is committed."""
from __future__ import annotations

import io
import struct
import zipfile
from decimal import Decimal

import docx as python_docx
import psutil
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from conftest import SEEDS
from docxgen import Builder, Lvl, list_number, ole_file, seed_docx, zip_of
from ingest.parse import parse_bytes, parse_file
from ingest.read import read_bytes
from ingest.read.readers import docx as docx_reader
from ingest.read.readers import office, ole
from ingest.read.readers.base import UnreadableFile, which
from ingest.read.readers.docx_numbering import chinese, format_number

SOFFICE = which("soffice") or which("libreoffice")
needs_libreoffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: "
                                       "apt install libreoffice-writer to test .doc/.wps/.rtf")


def facts(parsed) -> set:
    return {(m.indicator, m.value, m.scope) for m in parsed.metrics}


def text_of(data: bytes, name: str = "t.docx") -> str:
    return read_bytes(data, name).text


def lines_of(data: bytes) -> list[str]:
    return [line for line in text_of(data).splitlines() if line.strip()]


@pytest.fixture(scope="module")
def seeds():
    """Each seed: its text version parsed, and the same report as a .docx."""
    out = {}
    for path in SEEDS:
        parsed = parse_file(path)
        out[path.name] = (parsed, seed_docx(path.read_text(encoding="utf-8"), title=parsed.meta.title))
    return out


# --- The seeds as Word documents ---------------------------------------------------------------

@pytest.mark.parametrize("name", [p.name for p in SEEDS])
def test_seed_as_docx_gives_the_facts_of_its_text(seeds, name):
    as_text, data = seeds[name]
    as_docx = parse_bytes(data, name.replace(".txt", ".docx"))
    assert as_docx.doc.file_format == "docx"
    assert as_docx.meta.title == as_text.meta.title
    assert as_docx.jurisdiction.code == as_text.jurisdiction.code
    assert as_docx.meta.report_year == as_text.meta.report_year
    assert len(as_docx.measures) == len(as_text.measures)
    assert facts(as_docx) == facts(as_text) and facts(as_text)
    # The measures were found on numbers the reader regenerated: the document holds none.
    stored = [p.text for p in python_docx.Document(io.BytesIO(data)).paragraphs]
    assert not any(list_number(t) for t in stored)
    assert sum(bool(list_number(line)) for line in as_docx.doc.text.splitlines()) >= 5


def test_table_only_report_gives_each_figure_with_its_row_as_evidence():
    b = Builder()
    b.heading("重庆市武隆区司法局2023年法治政府建设情况报告")
    b.paragraph("2023年，我局全面推进法治政府建设，现将有关情况报告如下。")
    num = b.num(b.abstract([Lvl("chineseCounting", "%1、")]))
    b.paragraph("主要工作数据", num=(num, 0))
    b.paragraph("全年主要工作数据见下表。")
    b.table([["指标", "数量", "单位"], ["行政复议收案数", "57", "件"], ["法律援助案件数", "312", "件"],
             ["调解矛盾纠纷数", "1,204", "件"], ["调解成功率", "98.6", "%"]])
    b.paragraph("存在的问题和不足", num=(num, 0))
    b.paragraph("基层法治力量仍然薄弱。")
    parsed = parse_bytes(b.bytes(), "table.docx")
    got = {(m.indicator, m.value): m.evidence for m in parsed.metrics}
    assert got == {("reconsideration.received", 57): "行政复议收案数 | 57 | 件",
                   ("legal_aid.cases", 312): "法律援助案件数 | 312 | 件",
                   ("mediation.disputes", 1204): "调解矛盾纠纷数 | 1,204 | 件",
                   ("mediation.success_rate", Decimal("98.6")): "调解成功率 | 98.6 | %"}
    assert all(parsed.doc.text[m.start:m.end] == m.evidence for m in parsed.metrics)
    assert "\n\n指标 | 数量 | 单位\n" in parsed.doc.text   # a blank line before the table
    assert parsed.meta.report_year == 2023 and parsed.jurisdiction.code == "500156"


# --- Numbering ---------------------------------------------------------------------------------

def test_chinese_counting_and_other_formats():
    assert [chinese(n) for n in (1, 10, 11, 19, 20, 21, 99, 100, 101, 110, 111, 1001, 1010, 10000, 10001)] == [
        "一", "十", "十一", "十九", "二十", "二十一", "九十九", "一百", "一百零一", "一百一十", "一百一十一",
        "一千零一", "一千零一十", "一万", "一万零一"]
    assert [format_number(n, "chineseLegalSimplified") for n in (3, 11, 20)] == ["叁", "壹拾壹", "贰拾"]
    assert format_number(12, "chineseCountingThousand") == "十二"
    assert [format_number(n, "ideographTraditional") for n in (1, 3, 10)] == ["甲", "丙", "癸"]
    assert [format_number(n, "decimalEnclosedCircle") for n in (1, 20, 21, 50)] == ["①", "⑳", "㉑", "㊿"]
    assert format_number(3, "decimalEnclosedCircleChinese") == "③"
    assert format_number(12, "decimalFullWidth") == "１２"
    assert [format_number(n, "lowerLetter") for n in (1, 26, 27)] == ["a", "z", "aa"]
    assert format_number(3, "upperLetter") == "C"
    assert [format_number(n, "upperRoman") for n in (4, 14, 1999)] == ["IV", "XIV", "MCMXCIX"]
    assert format_number(9, "lowerRoman") == "ix"
    assert format_number(5, "bullet") == "" and format_number(7, "someFutureFormat") == "7"


def test_counting_past_ten_nested_levels_reset_and_start_override():
    b = Builder()
    abstract = b.abstract([Lvl("chineseCounting", "%1、"), Lvl("chineseCounting", "（%2）"),
                           Lvl("decimal", "%3."), Lvl("decimalEnclosedCircle", "%4")])
    num = b.num(abstract)
    for i in range(12):
        b.paragraph(f"第{i + 1}项", num=(num, 0))
    b.paragraph("子项", num=(num, 1))
    b.paragraph("子项", num=(num, 1))
    b.paragraph("细项", num=(num, 2))
    b.paragraph("更细", num=(num, 3))
    b.paragraph("第13项", num=(num, 0))
    b.paragraph("又一子项", num=(num, 1))       # level 1 restarts under the new level 0
    b.paragraph("接着编号", num=(b.num(abstract, {2: 5}), 2))   # restarted list: startOverride 5
    lines = lines_of(b.bytes())
    assert lines[9:12] == ["十、第10项", "十一、第11项", "十二、第12项"]
    assert lines[12:] == ["（一）子项", "（二）子项", "1.细项", "①更细", "十三、第13项", "（一）又一子项", "5.接着编号"]


def test_lists_sharing_an_abstract_continue_and_other_level_texts():
    b = Builder()
    abstract = b.abstract([Lvl("decimal", "%1."), Lvl("decimal", "%1.%2", suffix="space"),
                           Lvl("chineseLegalSimplified", "第%3条", suffix="tab"), Lvl("bullet", "\uf0b7")])
    first, second = b.num(abstract), b.num(abstract)
    b.paragraph("甲", num=(first, 0))
    b.paragraph("乙", num=(first, 1))
    b.paragraph("丙", num=(second, 0))     # another list on the same definition continues: 2.
    b.paragraph("丁", num=(second, 1))
    b.paragraph("戊", num=(second, 2))
    b.paragraph("要点", num=(second, 3))
    assert lines_of(b.bytes()) == ["1.甲", "1.1 乙", "2.丙", "2.1 丁", "第壹条 戊", "要点"]


def test_numbering_through_paragraph_styles_and_their_based_on_chain():
    b = Builder()
    num = b.num(b.abstract([Lvl("chineseCounting", "%1、"), Lvl("chineseCounting", "（%2）")]))
    base = b.doc.styles.add_style("报告一级", WD_STYLE_TYPE.PARAGRAPH)
    num_pr = OxmlElement("w:numPr")
    num_id = OxmlElement("w:numId")
    num_id.set(qn("w:val"), str(num))
    num_pr.append(num_id)
    base.element.get_or_add_pPr().append(num_pr)
    derived = b.doc.styles.add_style("报告一级加粗", WD_STYLE_TYPE.PARAGRAPH)
    derived.base_style = base
    b.paragraph("主要举措", style="报告一级")
    b.paragraph("存在问题", style="报告一级加粗")
    b.paragraph("具体问题", num=(num, 1), style="报告一级加粗")   # direct ilvl over the style's numId
    b.paragraph("正文段落")
    assert lines_of(b.bytes()) == ["一、主要举措", "二、存在问题", "（一）具体问题", "正文段落"]


# --- Text: revisions, fields, boxes, breaks, furniture ------------------------------------------

R = '<w:r><w:t xml:space="preserve">{}</w:t></w:r>'


def test_revisions_fields_breaks_hidden_text_and_text_boxes():
    b = Builder()
    b.raw(R.format("办理案件") + '<w:del w:id="1" w:author="a"><w:r><w:delText>99</w:delText></w:r></w:del>'
          '<w:ins w:id="2" w:author="a">' + R.format("57") + "</w:ins>" + R.format("件"))
    b.raw('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> DOCPROPERTY 单位 </w:instrText></w:r>'
          '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + R.format("武隆区司法局")
          + '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:fldSimple w:instr=" DATE ">' + R.format("2024年") + "</w:fldSimple>")
    b.raw(R.format("第一行") + "<w:r><w:br/></w:r>" + R.format("第二行") + "<w:r><w:tab/></w:r>" + R.format("续")
          + '<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏文字</w:t></w:r>')
    box = '<w:txbxContent><w:p>' + R.format("框内文字") + "</w:p></w:txbxContent>"
    b.raw(R.format("图文") + '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
          f'<wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:txbx>{box}'
          '</wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>'
          f"{box}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>")
    b.doc.sections[0].header.paragraphs[0].text = "页眉：内部资料"
    b.doc.sections[0].footer.paragraphs[0].text = "第1页 共3页"
    text = text_of(b.bytes())
    assert text.splitlines() == ["办理案件57件", "武隆区司法局2024年", "第一行", "第二行 续", "图文", "框内文字"]


def test_a_table_of_contents_is_left_out():
    b = Builder()
    b.raw('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>TOC \\o "1-3"</w:instrText></w:r>'
          '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + R.format("一、主要举措和成效 1"))
    b.raw(R.format("二、存在的问题 5") + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    num = b.num(b.abstract([Lvl("chineseCounting", "%1、")]))
    b.paragraph("主要举措和成效", num=(num, 0))
    assert lines_of(b.bytes()) == ["一、主要举措和成效"]


def test_document_properties_go_to_the_context():
    b = Builder()
    b.paragraph("法治政府建设情况报告")
    b.doc.core_properties.title = "2023年法治政府建设情况报告"
    b.doc.core_properties.author = "县司法局"
    got = read_bytes(b.bytes(), "p.docx")
    assert got.context["doc:title"] == "2023年法治政府建设情况报告"
    assert got.context["doc:creator"] == "县司法局"
    assert {"doc:created", "doc:modified"} <= set(got.context)
    data = b.bytes()
    assert read_bytes(_replace(data, "docProps/app.xml", _APP.format("<Pages>7</Pages>")), "p.docx").pages == 7
    assert read_bytes(_replace(data, "docProps/app.xml", _APP.format("")), "p.docx").pages is None


_APP = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>WPS Office</Application>{}</Properties>")


def _replace(data: bytes, name: str, text: str) -> bytes:
    """The package with one part's content replaced."""
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, text if info.filename == name else src.read(info))
    return out.getvalue()


# --- Tables ------------------------------------------------------------------------------------

def test_merged_cells_are_repeated_and_filled_down():
    b = Builder()
    b.table([["项目", "2023年", ""], ["行政复议", "收案", "57"], ["", "审结", "50"], ["法律援助", "办结", "312"]],
            merges=[(0, 1, 0, 2), (1, 0, 2, 0)])
    assert text_of(b.bytes()).splitlines() == ["项目 | 2023年 | 2023年", "行政复议 | 收案 | 57", "行政复议 | 审结 | 50",
                                               "法律援助 | 办结 | 312"]


def test_layout_tables_become_plain_lines_and_nested_tables_stay_tables():
    b = Builder()
    table = b.table([["一、主要举措", "正文"]])
    cell = table.cell(0, 1)
    cell.text = "全年办理行政复议案件57件。"
    cell.add_paragraph("法律援助案件312件。")
    cell.add_paragraph("调解纠纷1204件。")
    inner = cell.add_table(rows=2, cols=2)
    for (i, j), text in {(0, 0): "指标", (0, 1): "数量", (1, 0): "收案", (1, 1): "57"}.items():
        inner.cell(i, j).text = text
    lines = text_of(b.bytes()).splitlines()
    assert lines[:4] == ["一、主要举措", "全年办理行政复议案件57件。", "法律援助案件312件。", "调解纠纷1204件。"]
    assert "指标 | 数量" in lines and "收案 | 57" in lines and not any("主要举措 |" in x for x in lines)


# --- Files that are refused, with their reason ---------------------------------------------------

def _reason(data: bytes, name: str) -> str:
    with pytest.raises(UnreadableFile) as exc:
        read_bytes(data, name)
    return str(exc.value)


def test_damaged_and_non_word_zips_are_refused_with_reasons():
    good = Builder()
    good.paragraph("法治政府建设情况报告")
    data = good.bytes()
    assert _reason(data[: len(data) // 2], "report.docx").startswith("damaged Word document: not a complete zip")
    # An intact directory over corrupted compressed text.
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    broken = data[:start] + bytes(b ^ 0x5A for b in data[start:start + 64]) + data[start + 64:]
    assert _reason(broken, "report.docx").startswith("damaged Word document: cannot unpack word/document.xml")
    assert _reason(zip_of({"a.txt": "报告"}), "report.docx") == "not a Word document: the zip has no word/document.xml"
    assert _reason(zip_of({"xl/workbook.xml": "<x/>"}), "data.docx").startswith("spreadsheet, not a report document")
    assert _reason(zip_of({"word/document.xml": "<w:document"}), "r.docx").startswith(
        "damaged Word document: word/document.xml is not well-formed XML")


FIB = struct.pack("<HHHHHH", 0xA5EC, 0xC1, 0, 0x0804, 0, 0)
ENCRYPTED_FIB = struct.pack("<HHHHHH", 0xA5EC, 0xC1, 0, 0x0804, 0, 0x0100)


def test_encrypted_documents_and_office_files_that_are_no_documents():
    encrypted_docx = ole_file({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\0" * 16})
    assert docx_reader.sniff(encrypted_docx, ".docx")
    assert _reason(encrypted_docx, "report.docx") == "encrypted Word document: remove the password and save again"
    encrypted_doc = ole_file({"WordDocument": ENCRYPTED_FIB, "1Table": b"\0"})
    assert _reason(encrypted_doc, "report.doc") == "encrypted Word document: remove the password and save again"
    assert _reason(ole_file({"Workbook": b"\0"}), "data.xls").startswith("spreadsheet, not a report document")
    assert _reason(ole_file({"Workbook": b"\0"}), "report.doc").startswith("spreadsheet, not a report document")
    assert _reason(ole_file({"PowerPoint Document": b"\0"}), "slides.dps").startswith("presentation, not a report")


def test_doc_wps_and_rtf_without_libreoffice_name_what_is_needed(monkeypatch):
    monkeypatch.setattr(office, "which", lambda program: None)
    doc = ole_file({"WordDocument": FIB, "1Table": b"\0"})
    assert _reason(doc, "report.doc") == ("Word 97-2003 document (.doc): LibreOffice is needed to read it "
                                          "(Debian: apt install libreoffice-writer), or save it as .docx")
    assert _reason(doc, "report.wps").startswith("WPS Writer document (.wps): LibreOffice is needed to read it")
    assert _reason(b"{\\rtf1\\ansi hello}", "report.rtf").startswith("RTF document (.rtf): LibreOffice is needed")


# --- Through LibreOffice (where it is installed) -------------------------------------------------

def _lo_processes() -> list:
    out = []
    for proc in psutil.process_iter(["cmdline"]):
        if any("fazhi-lo-" in part for part in proc.info["cmdline"] or []):
            out.append(proc)
    return out


@needs_libreoffice
def test_seed_saved_as_doc_by_libreoffice_reads_with_the_same_facts(seeds):
    name = SEEDS[1].name
    as_text, data = seeds[name]
    doc = office.convert(SOFFICE, data, ".docx", target="doc")
    assert ole.streams(doc).keys() >= {"WordDocument"}
    for suffix, kind in ((".doc", "doc"), (".wps", "wps")):
        parsed = parse_bytes(doc, name.replace(".txt", suffix))
        assert parsed.doc.file_format == kind and "converted with LibreOffice" in parsed.warnings
        assert parsed.meta.title == as_text.meta.title and len(parsed.measures) == len(as_text.measures)
        assert facts(parsed) == facts(as_text)
    assert not _lo_processes()


@needs_libreoffice
def test_rtf_reads_through_libreoffice():
    rtf = b"{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 SimSun;}}\\f0 " + _rtf_unicode("全年办理行政复议案件57件。") + b"\\par }"
    got = read_bytes(rtf, "report.rtf")
    assert got.file_format == "rtf" and got.text.strip() == "全年办理行政复议案件57件。"


def _rtf_unicode(text: str) -> bytes:
    return "".join(ch if ord(ch) < 128 else f"\\u{ord(ch)}?" for ch in text).encode("ascii")


@needs_libreoffice
def test_libreoffice_failure_and_timeout_give_reasons_and_leave_no_process(monkeypatch):
    no_fib = ole_file({"WordDocument": b"\x01" * 5000})
    assert _reason(no_fib, "broken.doc").startswith("LibreOffice could not convert it")
    monkeypatch.setattr(office, "seconds_left", lambda default=300.0: 1.2)
    doc = ole_file({"WordDocument": FIB})
    assert _reason(doc, "slow.doc") == "LibreOffice did not convert it within 0.2 s"
    assert not _lo_processes()


# --- Web archives and Word 2003 XML published under a .doc name ----------------------------------

def test_a_web_archive_named_doc_is_read_as_its_page():
    import quopri

    page = "<html><head><title>报告</title></head><body><p>全年办理行政复议案件57件。</p></body></html>"
    mht = (b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="----=_NextPart_01"\r\n\r\n'
           b"------=_NextPart_01\r\nContent-Location: file:///C:/report.htm\r\nContent-Transfer-Encoding: quoted-printable\r\n"
           b'Content-Type: text/html; charset="gb2312"\r\n\r\n' + quopri.encodestring(page.encode("gb2312"))
           + b"\r\n------=_NextPart_01--\r\n")
    got = read_bytes(mht, "report.doc")
    assert got.file_format == "html" and got.text.strip() == "全年办理行政复议案件57件。"
    assert got.warnings == ["read the web page of a web archive (MHT)"]


@needs_libreoffice
def test_word_2003_xml_named_doc_reads_through_libreoffice(seeds):
    as_text, data = seeds[SEEDS[1].name]
    xml = office.convert(SOFFICE, data, ".docx", target="xml:MS Word 2003 XML")
    parsed = parse_bytes(xml, "report.doc")
    assert parsed.doc.file_format == "doc" and "converted with LibreOffice" in parsed.warnings
    # LibreOffice's own Word 2003 XML round trip loses list numbers; the figures survive.
    assert facts(parsed) == facts(as_text)


def test_the_tab_after_a_number_is_dropped_after_punctuation():
    b = Builder()
    num = b.num(b.abstract([Lvl("chineseCounting", "%1、", suffix="tab"), Lvl("chineseCounting", "（%2）", suffix="space"),
                            Lvl("decimal", "%1.%3", suffix="tab", legal=True)]))   # isLgl: 1.1, not 一.1
    b.paragraph("主要举措", num=(num, 0))
    b.paragraph("学法用法", num=(num, 1))
    b.paragraph("细则", num=(num, 2))
    assert lines_of(b.bytes()) == ["一、主要举措", "（一）学法用法", "1.1 细则"]
