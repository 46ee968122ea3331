"""Files that unpack or render to far more than their size (tests/bombs.py) are refused while they
unpack: the inflated bytes and the text are counted as they come (`readers/inflate.py`), and every
reader's text is checked against the per-file limit after (limits.check_text)."""
from __future__ import annotations

import zipfile

import pytest

from bombs import docx_bomb, flate_pdf, liar_docx, merge_docx, span_html
from conftest import SEEDS
from docxgen import seed_docx
from ingest.errors import FazhiError
from ingest.read import Limits, read_bytes
from ingest.read.limits import max_inflated_bytes, max_text_chars
from ingest.read.readers import docx, html, inflate, pdf
from ingest.read.readers.base import UnreadableFile

MB = 2**20


@pytest.fixture
def inflated(monkeypatch):
    """Every byte zipfile's decompressor hands out, whoever asks (ZipFile.read included)."""
    seen = [0]
    original = zipfile.ZipExtFile.read

    def counting(self, n=-1):
        data = original(self, n)
        seen[0] += len(data)
        return data
    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting)
    return seen


def test_a_docx_bomb_is_refused_within_a_chunk_of_the_limit(inflated):
    bomb = docx_bomb(250)
    assert len(bomb) < MB
    with inflate.budget(max_inflated=10 * MB), pytest.raises(inflate.TooLarge) as exc:
        docx.read(bomb, "bomb.docx")
    assert str(exc.value) == "too large when unpacked: more than 10 MB (set FAZHI_MAX_INFLATED_MB)"
    assert inflated[0] <= 10 * MB + inflate.CHUNK   # not 250 MB inflated first, then refused


def test_the_limit_counts_every_part_of_the_file(inflated):
    data = seed_docx(SEEDS[0].read_text(encoding="utf-8"))
    inflated[0] = 0    # python-docx unpacked its template
    with inflate.budget() as used:
        docx.read(data, "report.docx")
    assert used.inflated == inflated[0] > 10_000
    with inflate.budget(max_inflated=used.inflated - 1), pytest.raises(inflate.TooLarge):
        docx.read(data, "report.docx")


def test_a_zip_header_that_understates_the_size_is_not_believed(inflated):
    with pytest.raises(UnreadableFile) as exc:
        docx.read(liar_docx(50), "liar.docx")
    assert "\n" not in str(exc.value)
    assert inflated[0] <= 2 * inflate.CHUNK


def test_a_report_reads_within_the_default_limits():
    doc = read_bytes(seed_docx(SEEDS[1].read_text(encoding="utf-8")), "report.docx")
    assert "行政复议" in doc.text


def test_read_bytes_refuses_by_the_limits_it_is_given():
    with pytest.raises(inflate.TooLarge, match=r"^too large when unpacked: more than 3 MB \("):
        read_bytes(docx_bomb(20), "bomb.docx", limits=Limits(max_inflated_mb=3))


# ---- text -------------------------------------------------------------------------------------

def test_a_cell_filled_down_is_refused_while_the_table_is_built():
    data = merge_docx(rows=200)               # 4 KB: 20 million characters when rendered
    with inflate.budget(max_text=1 * MB), pytest.raises(inflate.TooLarge) as exc:
        docx.read(data, "merge.docx")
    assert str(exc.value) == "too much text: more than 1 MB of text (set FAZHI_MAX_TEXT_MB)"


def test_spanned_cells_of_a_page_are_refused_while_the_table_is_built():
    with inflate.budget(max_text=1 * MB), pytest.raises(inflate.TooLarge, match="^too much text"):
        html.read(span_html(4), "span.html")


def test_list_numbers_count_as_text():
    long_number = "第" * 5000 + "%1、"
    body = "".join('<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
                   "<w:r><w:t>行政复议</w:t></w:r></w:p>" for _ in range(150))
    numbering = (f'<w:numbering xmlns:w="{docx_ns()}"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0">'
                 f'<w:numFmt w:val="decimal"/><w:lvlText w:val="{long_number}"/></w:lvl></w:abstractNum>'
                 '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>')
    data = _docx({"word/document.xml": f'<w:document xmlns:w="{docx_ns()}"><w:body>{body}</w:body></w:document>',
                  "word/numbering.xml": numbering})
    with inflate.budget(max_text=MB):
        assert len(docx.read(data, "n.docx").text) > 150 * 5000   # read whole within a roomier limit
    with inflate.budget(max_text=MB // 2), pytest.raises(inflate.TooLarge, match="^too much text"):
        docx.read(data, "n.docx")


@pytest.mark.parametrize("eol", [b"\n", b"\r\n", b"\r"])
def test_a_pdf_with_a_flate_bomb_is_refused_before_pdfium_opens_it(monkeypatch, eol):
    monkeypatch.setattr(pdf, "_open", lambda data: pytest.fail("PDFium opened the bomb"))
    bomb = flate_pdf(250).replace(b">>\nstream\n", b">>\nstream" + eol, 1)
    with inflate.budget(max_inflated=10 * MB), pytest.raises(inflate.TooLarge, match="^too large when unpacked"):
        pdf.read(bomb, "bomb.pdf")


def test_a_pdf_page_with_too_many_characters_is_refused():
    data = flate_pdf(0, lines=3000)    # 190,000 characters on one page
    with inflate.budget(max_text=200_000):
        assert len(pdf.read(data, "many.pdf").text) > 100_000
    with inflate.budget(max_text=100_000), pytest.raises(inflate.TooLarge, match="^too much text"):
        pdf.read(data, "many.pdf")


def test_no_reader_yields_more_text_than_the_limit():
    text = ("全县办理行政复议案件12件。" + "x" * 90 + "\n") * 20_000        # 2 million characters, 2.2 MB
    limits = Limits(max_file_mb=5, max_text_mb=1)
    with pytest.raises(inflate.TooLarge) as exc:
        read_bytes(text.encode(), "long.txt", limits=limits)
    assert str(exc.value) == "too much text: more than 1 MB of text (set FAZHI_MAX_TEXT_MB)"
    assert read_bytes(text.encode(), "long.txt", limits=Limits(max_file_mb=5)).text


# ---- settings ---------------------------------------------------------------------------------

def test_the_defaults_follow_the_file_limit():
    assert (max_inflated_bytes(Limits()), max_text_chars(Limits())) == (inflate.DEFAULT_INFLATED, inflate.DEFAULT_TEXT)
    limits = Limits.from_env({"FAZHI_MAX_FILE_MB": "20"})
    assert (max_inflated_bytes(limits), max_text_chars(limits)) == (40 * MB, 20 * MB)
    limits = Limits.from_env({"FAZHI_MAX_INFLATED_MB": "7", "FAZHI_MAX_TEXT_MB": "0.5"})
    assert (max_inflated_bytes(limits), max_text_chars(limits)) == (7 * MB, MB // 2)


@pytest.mark.parametrize("name", ["FAZHI_MAX_INFLATED_MB", "FAZHI_MAX_TEXT_MB"])
@pytest.mark.parametrize("value", ["lots", "0", "-3"])
def test_a_bad_setting_is_a_usage_error(name, value):
    with pytest.raises(FazhiError) as exc:
        Limits.from_env({name: value})
    assert exc.value.code == 2 and name in str(exc.value)


def docx_ns() -> str:
    return "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx(parts: dict[str, str]) -> bytes:
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return out.getvalue()
