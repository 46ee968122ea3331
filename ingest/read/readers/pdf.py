"""PDF: the text layer in reading order, ruled tables as rows of cells, scans by OCR.

pypdfium2 (PDFium, Apache-2.0/BSD) gives each character with its box and the page's path
objects; `pdflayout` turns those into lines (columns, running heads, wrapped lines rejoined) and
`pdftables` reads ruled tables. Pages with no text layer are read by tesseract when it is
installed (`ocr`), else named in a warning, or refused when no page has text.
"""
from __future__ import annotations

import ctypes
import re
from datetime import datetime, timedelta, timezone
from itertools import pairwise

from . import inflate, ocr
from .base import Extracted, UnreadableFile
from .pdflayout import Page, chars_to_lines, drop_running, to_text
from .pdftables import find_tables, rect_edges, rulings

FORMAT = "pdf"
SUFFIXES = (".pdf",)
_INFO = {"Title": "doc:title", "Author": "doc:creator", "CreationDate": "doc:created",
         "ModDate": "doc:modified", "Producer": "doc:producer"}
_MIN_TEXT = 5           # fewer non-blank characters than this on a page with an image: a scan
_MAX_RULINGS = 600      # more straight lines than this on a page is a drawing, not a table
_OCR_DPI = 300


def sniff(data: bytes, suffix: str) -> bool:
    return b"%PDF-" in data[:1024]   # some writers put junk before the header; readers allow 1 KB


def read(data: bytes, source: str) -> Extracted:
    with inflate.budget():
        _count_streams(data)
        return _read(data)


def _read(data: bytes) -> Extracted:
    doc = _open(data)
    try:
        n = len(doc)
        if n == 0:
            raise UnreadableFile("PDF has no pages")
        warnings: list[str] = []
        if b"%%EOF" not in data[-2048:]:
            warnings.append("damaged PDF: truncated (no end-of-file marker); read what could be recovered")
        pages, blank = [], []
        for i in range(n):
            page, scan = _page(doc, i, warnings)
            pages.append(page)
            if scan:
                blank.append(i)
        ocr_used = _scans(doc, pages, blank, n, warnings)
        context = _info(doc)
    finally:
        doc.close()
    drop_running(pages)
    # report.encoding holds 16 characters
    encoding = ("ocr" if len(blank) == n else "pdf+ocr") if ocr_used else "pdf text layer"
    return Extracted(to_text(pages), FORMAT, encoding, context, warnings, ocr_used, n)


# What PDFium inflates to lay out text: content streams, forms, object streams. Images (decoded
# only for OCR, one page at a time), embedded fonts and attached files are left out.
_NOT_COUNTED = re.compile(rb"/Subtype\s*/(?:Image|Type1C|CIDFontType0C|OpenType)\b|/Length[123]\b|"
                          rb"/Type\s*/EmbeddedFile\b")


def _count_streams(data: bytes) -> None:
    """Every Flate stream PDFium would inflate, counted into the file's budget before PDFium
    opens the file: it has no limit of its own (a 0.7 MB PDF can hold 250 MB of page content)."""
    pos = data.find(b"stream")
    while pos >= 0:
        head = data.rfind(b"obj", max(0, pos - 4096), pos)
        start = pos + 6 + (2 if data[pos + 6:pos + 8] == b"\r\n" else data[pos + 6:pos + 7] in (b"\n", b"\r"))
        if head >= 0 and data[pos - 3:pos] != b"end":
            info = data[head:pos]
            if b"/FlateDecode" in info and not _NOT_COUNTED.search(info):
                inflate.count_zlib(data, start)
        pos = data.find(b"stream", pos + 6)


def _open(data: bytes):
    import pypdfium2 as pdfium

    start = data.find(b"%PDF-")
    try:
        return pdfium.PdfDocument(data[start:] if start > 0 else data)
    except pdfium.PdfiumError as exc:
        reason = str(exc)
        if "password" in reason.lower():
            raise UnreadableFile("encrypted PDF: needs a password to open") from None
        detail = re.sub(r"^Failed to load document \(PDFium: (.*)\)\.?$", r"\1", reason)
        if re.search(rb"/Count\s*0\b", data) and not re.search(rb"/Type\s*/Page\b(?!s)", data):
            # PDFium refuses a file without pages, with a stale error code.
            raise UnreadableFile("PDF has no pages") from None
        detail = detail.rstrip(".").lower()
        raise UnreadableFile(f"damaged PDF: {'cannot be opened' if detail == 'success' else detail}") from None


def _page(doc, i: int, warnings: list[str]) -> tuple[Page, bool]:
    """The page's lines and tables, and whether it is a scan (an image and next to no text)."""
    from pypdfium2 import raw

    page = doc[i]
    try:
        left, bottom, right, top = page.get_bbox()
        chars = _chars(page, top)
        ink = sum(not c[0].isspace() for c in chars)
        has_image = any(True for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=3))
        if ink < _MIN_TEXT and has_image or ink and _garbled(chars):
            return Page(right - left, top - bottom), bool(has_image or ink)
        hs, vs = rulings(_segments(page, top))
        tables = []
        if len(hs) + len(vs) > _MAX_RULINGS:
            warnings.append(f"page {i + 1}: too many lines drawn to look for tables")
        elif hs and vs:
            tables, chars = find_tables(hs, vs, chars)
        result = Page(right - left, top - bottom, [*chars_to_lines(chars), *tables])
        return result, False
    finally:
        page.close()


def _chars(page, top: float) -> list[tuple[str, float, float, float, float]]:
    """(character, x0, top, x1, bottom), y measured down from the top of the page; the spaces
    PDFium adds between words it sees apart are kept, its added line breaks are not."""
    from pypdfium2 import raw

    tp = page.get_textpage()
    try:
        inflate.current().add_text(tp.count_chars())   # before a tuple is made for each
        out, prev = [], None
        rect = raw.FS_RECTF()
        for k in range(tp.count_chars()):
            code = raw.FPDFText_GetUnicode(tp.raw, k)
            if code in (0, 0xFFFE, 0xFFFF) or code in (10, 13, 2):
                continue
            ch = chr(code)
            if raw.FPDFText_IsGenerated(tp.raw, k) or ch.isspace():
                if prev:   # a space has no box of its own worth trusting: at the previous character's end
                    out.append((" ", prev[3], prev[2], prev[3], prev[4]))
                continue
            if not raw.FPDFText_GetLooseCharBox(tp.raw, k, rect):
                continue
            prev = (ch, rect.left, top - rect.top, rect.right, top - rect.bottom)
            out.append(prev)
        return out
    finally:
        tp.close()


def _garbled(chars: list[tuple]) -> bool:
    """A text layer without a usable Unicode map: mostly private-use or replacement characters."""
    ink = [c[0] for c in chars if not c[0].isspace()]
    bad = sum(0xE000 <= ord(c) <= 0xF8FF or c == "\ufffd" or ord(c) < 32 for c in ink)
    return len(ink) >= 20 and bad > len(ink) / 2


def _segments(page, top: float) -> list[tuple[float, float, float, float]]:
    """Straight segments of the page's drawn paths (strokes, rectangles, thin filled bars)."""
    from pypdfium2 import raw

    out = []
    forms: dict[int, tuple] = {}
    for obj in page.get_objects(filter=None, max_depth=3):
        m = _compose(obj.get_matrix(), forms.get(obj.level))
        if obj.type == raw.FPDF_PAGEOBJ_FORM:
            forms[obj.level + 1] = m
            continue
        if obj.type != raw.FPDF_PAGEOBJ_PATH:
            continue
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        raw.FPDFPath_GetDrawMode(obj.raw, fill, stroke)
        if not fill.value and not stroke.value:
            continue       # a clipping path draws nothing
        for sub in _subpaths(obj.raw, raw):
            pts = [(m[0] * x + m[2] * y + m[4], top - (m[1] * x + m[3] * y + m[5])) for x, y in sub]
            xs, ys = {round(p[0], 1) for p in pts}, {round(p[1], 1) for p in pts}
            if len(pts) in (4, 5) and len(xs) == 2 and len(ys) == 2:
                out += rect_edges(min(xs), min(ys), max(xs), max(ys))
            else:
                out += [(a[0], a[1], b[0], b[1]) for a, b in pairwise(pts)]
        if len(out) > _MAX_RULINGS * 4:
            break
    return out


def _subpaths(path, raw) -> list[list[tuple[float, float]]]:
    subs: list[list[tuple[float, float]]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for k in range(raw.FPDFPath_CountSegments(path)):
        seg = raw.FPDFPath_GetPathSegment(path, k)
        raw.FPDFPathSegment_GetPoint(seg, x, y)
        kind = raw.FPDFPathSegment_GetType(seg)
        if kind == raw.FPDF_SEGMENT_MOVETO or not subs:
            subs.append([(x.value, y.value)])
        elif kind == raw.FPDF_SEGMENT_LINETO:
            subs[-1].append((x.value, y.value))
        else:
            subs.append([(x.value, y.value)])   # a curve: no ruling; start afresh after it
        if raw.FPDFPathSegment_GetClose(seg) and subs[-1]:
            subs[-1].append(subs[-1][0])
    return subs


def _compose(m, parent) -> tuple:
    a, b, c, d, e, f = m.get()
    if parent is None:
        return a, b, c, d, e, f
    pa, pb, pc, pd, pe, pf = parent
    return (a * pa + b * pc, a * pb + b * pd, c * pa + d * pc, c * pb + d * pd,
            e * pa + f * pc + pe, e * pb + f * pd + pf)


def _scans(doc, pages: list[Page], scans: list[int], n: int, warnings: list[str]) -> bool:
    """OCR the pages with no text layer, if tesseract can; else say so (or refuse a whole scan)."""
    if not scans:
        return False
    if not ocr.available():
        if len(scans) == n:
            raise UnreadableFile(f"scanned PDF: no text layer ({ocr.INSTALL})")
        warnings.append(f"{len(scans)} of {n} pages have no text layer (scanned) and were not read; "
                        f"{ocr.INSTALL}")
        return False
    for i in scans:
        page = doc[i]
        try:
            bitmap = page.render(scale=_OCR_DPI / 72, grayscale=True)
            image = ocr.pgm(bitmap.width, bitmap.height, bitmap.stride, bitmap.buffer)
        finally:
            page.close()
        for got in ocr.recognise(image, _OCR_DPI):
            pages[i] = got
    warnings.append(f"{len(scans)} of {n} pages: {ocr.WARNING}" if len(scans) < n else ocr.WARNING)
    return True


def _info(doc) -> dict[str, str]:
    meta = doc.get_metadata_dict(skip_empty=True)
    out = {}
    for key, name in _INFO.items():
        value = (meta.get(key) or "").strip().strip("\x00")
        if value:
            out[name] = _date(value) if key.endswith("Date") else value
    return out


_PDF_DATE = re.compile(r"^D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*(Z|[+-]\d{2}'?\d{2}'?)?")


def _date(value: str) -> str:
    """A PDF date (D:20240223100000+08'00') as ISO 8601; the raw value if it is not one."""
    m = _PDF_DATE.match(value)
    if not m:
        return value
    y, mo, d, h, mi, s, tz = m.groups()
    try:
        when = datetime(int(y), int(mo or 1), int(d or 1), int(h or 0), int(mi or 0), int(s or 0))
    except ValueError:
        return value
    if tz:
        offset = timedelta(0) if tz == "Z" else (1 if tz[0] == "+" else -1) * timedelta(
            hours=int(tz[1:3]), minutes=int(re.sub(r"\D", "", tz[3:]) or 0))
        when = when.replace(tzinfo=timezone(offset))
    return when.isoformat()
