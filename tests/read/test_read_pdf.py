"""PDF and page-image reading, on PDFs generated from the bundled seeds (tests/pdfgen.py)."""
import io
import re

import pytest

from conftest import SEEDS, seed_text
from ingest.parse import parse_bytes
from ingest.read import read_bytes
from ingest.read.readers import UnreadableFile, image, ocr, pdf
from pdfgen import FOOTERS, KANGXI, Layout, encrypted, report_pdf, scanned

needs_ocr = pytest.mark.skipif(not ocr.available(), reason="tesseract with chi_sim is not installed "
                               "(apt-get install tesseract-ocr tesseract-ocr-chi-sim)")
STYLES = sorted(FOOTERS)
HEADER = "依法行政工作专报"


def lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.split("\n") if ln.strip()]


def core(parsed) -> set:
    return {(m.indicator, m.value, m.scope) for m in parsed.metrics}


@pytest.fixture(scope="module")
def seed_pdfs() -> dict[str, bytes]:
    return {p.name: report_pdf(p.read_text(encoding="utf-8"), Layout(header=HEADER, footer=STYLES[i % len(STYLES)]))
            for i, p in enumerate(SEEDS)}


@pytest.mark.parametrize("seed", [p.name for p in SEEDS])
def test_seed_as_pdf_gives_what_its_text_gives(seed_pdfs, seed):
    text = seed_text(seed)
    want, got = parse_bytes(text.encode(), seed), parse_bytes(seed_pdfs[seed], seed.replace(".txt", ".pdf"))
    assert got.doc.file_format == "pdf" and got.doc.pages >= 4 and got.doc.encoding == "pdf text layer"
    assert core(got) == core(want) and core(want)
    assert got.meta.title == want.meta.title
    assert got.jurisdiction.as_json()["code"] == want.jurisdiction.as_json()["code"]
    assert got.meta.report_year == want.meta.report_year
    assert len(got.measures) == len(want.measures)
    # Every paragraph is one line again; no running head or page number is left.
    assert lines(got.doc.text) == lines(want.doc.text)
    assert HEADER not in got.doc.text
    assert not re.search(r"^(?:- \d+ -|— \d+ —|第\d+页 共\d+页|\d+/\d+)$", got.doc.text, re.MULTILINE)
    assert got.doc.context["doc:title"] == "法治政府建设情况的报告"
    assert got.doc.context["doc:creator"] == "司法局"
    assert re.match(r"\d{4}-\d\d-\d\dT", got.doc.context["doc:created"])


TABLE_REPORT = """某某县司法局2023年法治政府建设情况报告
2023年,某某县司法局认真贯彻落实法治政府建设实施纲要,全年主要工作数据见下表。
"""
TABLE = [["指标", "数量", "单位"], ["行政复议收案数", "57", "件"], ["行政复议审结数", "52", "件"],
         ["行政应诉案件数", "31", "件"], ["人民调解案件数", "1,286", "件"]]


def test_table_only_report_yields_its_rows():
    parsed = parse_bytes(report_pdf(TABLE_REPORT, Layout(table=TABLE, table_after=1)), "table.pdf")
    text = parsed.doc.text
    assert "\n\n指标 | 数量 | 单位\n行政复议收案数 | 57 | 件\n" in text
    assert text.count("行政复议收案数") == 1            # not again as loose text
    got = {(str(m.value), m.evidence) for m in parsed.metrics}
    for label, value, _ in TABLE[1:]:
        row = f"{label} | {value} | 件"
        assert any(v == value.replace(",", "") and ev in row for v, ev in got), (row, got)
    for m in parsed.metrics:
        assert text[m.start:m.end] == m.evidence and " | " in m.evidence


def test_merged_cells_fill_down_and_repeat_across():
    rows = [["项目", "2023年", "2022年"], ["行政复议", "收案 57 件", "收案 40 件"], [None, "审结 52 件", "审结 38 件"],
            ["合计说明", "两年共收案97件", "两年共收案97件"]]
    got = pdf.read(report_pdf(TABLE_REPORT, Layout(table=rows, table_after=1)), "t.pdf").text
    assert "项目 | 2023年 | 2022年\n行政复议 | 收案 57 件 | 收案 40 件\n行政复议 | 审结 52 件 | 审结 38 件\n" in got


def test_two_columns_read_left_then_right():
    text = seed_text("001")
    got = read_bytes(report_pdf(text, Layout(two_column=True)), "two.pdf").text
    assert lines(got) == lines(read_bytes(text.encode(), "two.txt").text)


def test_kangxi_radicals_read_as_ideographs():
    text = seed_text("000")
    raw = pdf.read(report_pdf(text, Layout(kangxi=True)), "k.pdf").text
    assert set(KANGXI.values()) & set(raw)           # the PDF does carry the radicals
    assert read_bytes(report_pdf(text, Layout(kangxi=True)), "k.pdf").text == read_bytes(
        report_pdf(text), "plain.pdf").text


def test_scanned_pdf_without_ocr_gives_the_reason(monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    scan = scanned(report_pdf(TABLE_REPORT), dpi=100)
    with pytest.raises(UnreadableFile) as exc:
        read_bytes(scan, "scan.pdf")
    assert str(exc.value) == ("scanned PDF: no text layer "
                              "(install tesseract-ocr and tesseract-ocr-chi-sim to read it by OCR)")


def test_mixed_pdf_without_ocr_names_the_pages_it_could_not_read(monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    text = seed_text("000")
    doc = read_bytes(scanned(report_pdf(text), pages={1}, dpi=100), "mixed.pdf")
    assert doc.warnings == [("1 of 4 pages have no text layer (scanned) and were not read; "
                             "install tesseract-ocr and tesseract-ocr-chi-sim to read it by OCR")]
    assert not doc.ocr and "重庆市武隆区司法局" in doc.text


@needs_ocr
def test_scanned_pdf_is_read_by_ocr():
    doc = read_bytes(scanned(report_pdf(TABLE_REPORT), dpi=200), "scan.pdf")
    assert doc.ocr and doc.encoding == "ocr" and doc.warnings == [ocr.WARNING]
    assert "某某县司法局2023年法治政府建设情况报告" in doc.text
    assert "法治政府建设实施纲要" in doc.text and HEADER not in doc.text


@needs_ocr
def test_mixed_pdf_has_its_scanned_page_read_by_ocr(monkeypatch):
    text = seed_text("000")
    plain = read_bytes(report_pdf(text), "plain.pdf").text
    mixed = scanned(report_pdf(text), pages={1}, dpi=200)
    doc = read_bytes(mixed, "mixed.pdf")
    assert doc.ocr and doc.encoding == "pdf+ocr" and doc.warnings == [f"1 of 4 pages: {ocr.WARNING}"]
    monkeypatch.setattr(ocr, "available", lambda: False)
    without = read_bytes(mixed, "mixed.pdf").text
    assert len(without) < 0.8 * len(plain) < 0.8 * 1.05 * len(doc.text)   # the page is back, near enough
    assert lines(doc.text)[0] == lines(plain)[0] and lines(doc.text)[-1] == lines(plain)[-1]


@needs_ocr
def test_page_image_is_read_by_ocr():
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(report_pdf(TABLE_REPORT))[0]
    bitmap = page.render(scale=200 / 72, grayscale=True)
    got = image.read(ocr.pgm(bitmap.width, bitmap.height, bitmap.stride, bitmap.buffer), "page.pgm")
    assert got.ocr and got.encoding == "ocr" and "某某县司法局2023年法治政府建设情况报告" in got.text


def test_page_image_without_ocr_gives_the_reason(monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    with pytest.raises(UnreadableFile) as exc:
        read_bytes(png, "page.png")
    assert str(exc.value) == ("image file: no text layer "
                              "(install tesseract-ocr and tesseract-ocr-chi-sim to read it by OCR)")


def test_encrypted_pdf_needs_a_password():
    with pytest.raises(UnreadableFile) as exc:
        read_bytes(encrypted(TABLE_REPORT), "locked.pdf")
    assert str(exc.value) == "encrypted PDF: needs a password to open"


def test_owner_password_only_pdf_is_read():
    doc = read_bytes(encrypted(TABLE_REPORT, user_password=""), "restricted.pdf")
    assert "法治政府建设实施纲要" in doc.text


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.9])
def test_truncated_pdf_gives_a_reason(keep):
    data = report_pdf(seed_text("000"))
    with pytest.raises(UnreadableFile, match=r"^damaged PDF: "):
        read_bytes(data[:int(len(data) * keep)], "cut.pdf")


def test_damaged_and_empty_pdfs_give_reasons():
    with pytest.raises(UnreadableFile, match=r"^damaged PDF: "):
        read_bytes(b"%PDF-1.7\n" + b"garbage " * 100, "bad.pdf")
    import pypdfium2 as pdfium

    buf = io.BytesIO()
    pdfium.PdfDocument.new().save(buf)
    with pytest.raises(UnreadableFile, match=r"^PDF has no pages$"):
        read_bytes(buf.getvalue(), "empty.pdf")
