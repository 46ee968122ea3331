"""Write report PDFs for the tests and the bench, as word processors lay them out.

A4, a running header and a page-number footer on every page, paragraphs with a two-character
first-line indent wrapped at the margin (Latin words and numbers are never split; closing
punctuation never starts a line, so some full lines end one character short). Options: two
columns, a ruled table, Kangxi radicals in place of ideographs (as Chromium and WPS exports
write them), pages rasterised to images (a scan), a password.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

PAGE_W, PAGE_H = 595.0, 842.0        # A4 in points
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 72.0, 80.0, 80.0
SIZE, LEADING = 12.0, 20.0
GUTTER = 24.0
# Ideographs as radical code points, the way Chromium/WPS exports map some glyphs.
KANGXI = {"人": "\u2f08", "民": "\u2ea0", "网": "\u2f79", "门": "\u2ed4", "长": "\u2ed3", "见": "\u2ec5",
          "日": "\u2f47", "月": "\u2f49", "工": "\u2f2f", "方": "\u2f45", "力": "\u2f12", "大": "\u2f24"}
FOOTERS = {"dash": "- {n} -", "emdash": "— {n} —", "of": "第{n}页 共{total}页", "slash": "{n}/{total}"}
_NO_LINE_START = set("，。、；：！？）」』”’》〉】,.;:!?)%")
_WORD = re.compile(r"[A-Za-z0-9.%+\-/]+|\s+|.", re.DOTALL)


@cache
def font_path(name: str = "NotoSansCJKsc-Regular.otf") -> str:
    """Noto Sans CJK (OpenType/CFF, has the radicals) or SimHei.ttf (TrueType), from mplfonts."""
    import mplfonts

    return str(Path(mplfonts.__file__).parent / "fonts" / name)


@dataclass
class Layout:
    header: str = "法治政府建设年度报告"
    footer: str = "dash"
    two_column: bool = False
    table: list[list[str | None]] | None = None   # rows of cells; None: merged with the cell above
    table_after: int = 3                          # paragraphs before the table
    kangxi: bool = False
    title_lines: int = 1                          # leading paragraphs set centred, full width
    font: str = "NotoSansCJKsc-Regular.otf"       # or "SimHei.ttf"
    info: dict[str, str] = field(default_factory=lambda: {"title": "法治政府建设情况的报告",
                                                           "author": "司法局"})


def report_pdf(text: str, layout: Layout | None = None) -> bytes:
    """A PDF of `text`: each non-blank line a paragraph."""
    layout = layout or Layout()
    paras = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if layout.kangxi:
        paras = [p.translate(str.maketrans(KANGXI)) for p in paras]
    w = _Writer(layout)
    for i, p in enumerate(paras):
        if i < layout.title_lines:
            w.centred(p)
        else:
            w.paragraph(p)
        if layout.table and i == layout.table_after:
            w.table(layout.table)
    if layout.table and len(paras) <= layout.table_after:
        w.table(layout.table)
    return w.finish()


def scanned(pdf: bytes, pages: set[int] | None = None, dpi: int = 150) -> bytes:
    """The PDF with its pages (all, or the 0-based `pages`) replaced by images of them."""
    import io

    import pypdfium2 as pdfium
    from fpdf import FPDF

    src = pdfium.PdfDocument(pdf)
    chosen = [i for i in range(len(src)) if pages is None or i in pages]
    images = FPDF(unit="pt", format="A4")
    for i in chosen:
        images.add_page()
        images.image(src[i].render(scale=dpi / 72).to_pil().convert("L"), x=0, y=0, w=PAGE_W, h=PAGE_H)
    scans = pdfium.PdfDocument(bytes(images.output()))
    out = pdfium.PdfDocument.new()
    for i in range(len(src)):
        if i in chosen:
            out.import_pages(scans, [chosen.index(i)])
        else:
            out.import_pages(src, [i])
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def encrypted(text: str, user_password: str = "secret", owner_password: str = "owner") -> bytes:
    w = _Writer(Layout())
    w.pdf.set_encryption(owner_password=owner_password, user_password=user_password or None)
    for p in text.split("\n"):
        if p.strip():
            w.paragraph(p.strip())
    return w.finish()


class _Writer:
    def __init__(self, layout: Layout):
        from fpdf import FPDF

        self.layout = layout
        self.pdf = FPDF(unit="pt", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.add_font("noto", fname=font_path(layout.font))
        for key, value in layout.info.items():
            getattr(self.pdf, f"set_{key}")(value)
        self.pages = 0
        self._new_page()

    # -- frames: one or two columns per page, filled top to bottom, then the next page
    def _new_page(self) -> None:
        self.pdf.add_page()
        self.pages += 1
        self.col = 0
        self.y = MARGIN_TOP

    def _frame(self) -> tuple[float, float]:
        if not self.layout.two_column:
            return MARGIN_X, PAGE_W - MARGIN_X
        width = (PAGE_W - 2 * MARGIN_X - GUTTER) / 2
        x0 = MARGIN_X + self.col * (width + GUTTER)
        return x0, x0 + width

    def _room(self, height: float) -> None:
        if self.y + height <= PAGE_H - MARGIN_BOTTOM:
            return
        if self.layout.two_column and self.col == 0:
            self.col, self.y = 1, self.top
        else:
            self._new_page()
            self.top = MARGIN_TOP

    top = MARGIN_TOP

    def _width(self, s: str, size: float = SIZE) -> float:
        self.pdf.set_font("noto", size=size)
        return self.pdf.get_string_width(s)

    def centred(self, line: str, size: float = 16.0) -> None:
        self._room(LEADING * 1.6)
        self.pdf.set_font("noto", size=size)
        self.pdf.text((PAGE_W - self._width(line, size)) / 2, self.y + size, line)
        self.y += LEADING * 1.6
        self.top = self.y

    def paragraph(self, text: str) -> None:
        x0, x1 = self._frame()
        for k, line in enumerate(wrap(text, x1 - x0, self._width, indent=2 * SIZE)):
            self._room(LEADING)
            x0, x1 = self._frame()
            self.pdf.set_font("noto", size=SIZE)
            self.pdf.text(x0 + (2 * SIZE if k == 0 else 0), self.y + SIZE, line)
            self.y += LEADING

    def table(self, rows: list[list[str | None]]) -> None:
        x0, x1 = self._frame()
        ncol = max(len(r) for r in rows)
        cw = (x1 - x0) / ncol
        pad = 4.0
        self.y += LEADING / 2
        tops: list[float] = []
        for r, row in enumerate(rows):
            cells = [wrap(c or "", cw - 2 * pad, self._width) for c in row]
            height = max(len(c) for c in cells) * LEADING + pad
            self._room(height)
            tops.append(self.y)
            for j, lines in enumerate(cells):
                for k, line in enumerate(lines):
                    self.pdf.text(x0 + j * cw + pad, self.y + pad / 2 + k * LEADING + SIZE, line)
                merged_below = r + 1 < len(rows) and j < len(rows[r + 1]) and rows[r + 1][j] is None
                if row[j] is not None:
                    self.pdf.line(x0 + j * cw, self.y, x0 + (j + 1) * cw, self.y)        # top
                if not merged_below:
                    self.pdf.line(x0 + j * cw, self.y + height, x0 + (j + 1) * cw, self.y + height)
                self.pdf.line(x0 + j * cw, self.y, x0 + j * cw, self.y + height)           # left
            self.pdf.line(x0 + ncol * cw, self.y, x0 + ncol * cw, self.y + height)         # right
            self.y += height
        self.y += LEADING / 2

    def finish(self) -> bytes:
        total = self.pages
        self.pdf.set_font("noto", size=9)
        for n in range(1, total + 1):
            self.pdf.page = n
            head = self.layout.header
            self.pdf.text((PAGE_W - self._width(head, 9)) / 2, 45, head)
            self.pdf.line(MARGIN_X, 52, PAGE_W - MARGIN_X, 52)
            foot = FOOTERS[self.layout.footer].format(n=n, total=total)
            self.pdf.text((PAGE_W - self._width(foot, 9)) / 2, PAGE_H - 40, foot)
        self.pdf.set_font("noto", size=SIZE)
        return bytes(self.pdf.output())


def wrap(text: str, width: float, measure, indent: float = 0.0) -> list[str]:
    """Greedy line breaking: Latin words and numbers whole, no closing punctuation at a line start."""
    lines, line, used, limit = [], "", 0.0, width - indent
    for tok in _WORD.findall(text):
        w = measure(tok)
        if used + w <= limit or not line:
            line, used = line + tok, used + w
            continue
        if tok.isspace():
            continue
        carry = ""
        if tok[0] in _NO_LINE_START and len(line) > 1:   # pull the last character down with it
            carry, line = line[-1], line[:-1]
        lines.append(line.rstrip())
        line, used, limit = carry + tok, measure(carry + tok), width
    if line.strip():
        lines.append(line.rstrip())
    return lines
