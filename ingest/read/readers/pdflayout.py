"""Page layout to text: lines in reading order, running heads and page numbers dropped, wrapped
lines rejoined into paragraphs, tables as rows of cells.

Library-neutral: the PDF reader feeds it characters with their boxes, the OCR reader lines with
theirs, both in top-down page coordinates (points or pixels; every threshold is a multiple of the
line's character size).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_LATIN_RUN = re.compile(r"[A-Za-z0-9.%+\-/]+")
_CLOSING = set("，。、；：！？）」』”’》〉】,.;:!?)%")
# A line that starts one of these starts a new paragraph: measures are split on them.
LIST_START = re.compile(r"^\s*(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百]+[）)]|\d{1,2}[.．、](?!\d)"
                        r"|[（(]\d{1,2}[）)]|[①-⑳]|第[一二三四五六七八九十百]+[章节条部分])")
# Page numbers: - 3 -, — 3 —, 第3页 共10页, 3/10, Page 3 of 10, a bare 3.
PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－~·\s]*\d{1,4}[-—–－~·\s]*|第\s*[\d一二三四五六七八九十百]+\s*页"
                         r"(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d{1,4}\s*/\s*\d{1,4}|page\s*\d+(?:\s*of\s*\d+)?)\s*$",
                         re.IGNORECASE)
_BAND = 0.12          # top and bottom share of a page where running heads and footers sit
_GAP = 1.5            # a gap wider than this many characters splits a row (a column gutter)


@dataclass
class Line:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float                # character size (height)
    first: float = 0.0         # width of the first word: would it have fitted on the line before?


@dataclass
class Table:
    rows: list[list[str]]
    x0: float
    top: float
    x1: float
    bottom: float
    size: float = 0.0

    @property
    def text(self) -> str:
        return "\n".join(" | ".join(r) if len(set(r)) > 1 else r[0] for r in self.rows if any(r))


Item = Line | Table


@dataclass
class Page:
    width: float
    height: float
    items: list[Item] = field(default_factory=list)


def chars_to_lines(chars: list[tuple[str, float, float, float, float]]) -> list[Line]:
    """Characters (text, x0, top, x1, bottom) -> lines, a row split where a gap is a gutter."""
    rows: list[list[tuple]] = []
    for ch in sorted(chars, key=lambda c: ((c[2] + c[4]) / 2, c[1])):
        mid = (ch[2] + ch[4]) / 2
        if rows and rows[-1][0][2] - 0.1 <= mid <= rows[-1][0][4] + 0.1 and abs(rows[-1][-1][2] - ch[2]) < (ch[4] - ch[2]) * 0.6:
            rows[-1].append(ch)
        else:
            rows.append([ch])
    lines = []
    for row in rows:
        row.sort(key=lambda c: c[1])
        seg: list[tuple] = []
        for ch in row:
            size = max(ch[4] - ch[2], 1e-6) * 0.7
            if seg and ch[1] - seg[-1][3] > _GAP * size and not ch[0].isspace():
                lines.append(_line(seg))
                seg = []
            seg.append(ch)
        lines.append(_line(seg))
    return [ln for ln in lines if ln.text]


def _line(chars: list[tuple]) -> Line:
    text = re.sub(r"\s+", " ", "".join(c[0] for c in chars)).strip()
    ink = [c for c in chars if not c[0].isspace()] or chars
    # The character size is a Chinese character's width (one em): box heights include the font's
    # line gap, which differs from font to font.
    sizes = sorted(c[3] - c[1] for c in ink if _CJK.match(c[0]) and c[0] not in _CLOSING) or \
        sorted((c[4] - c[2]) * 0.7 for c in ink)
    first = _first_word(text)
    first_w = sum(c[3] - c[1] for c in ink[:len(first)])
    return Line(text, ink[0][1], min(c[2] for c in ink), max(c[3] for c in ink), max(c[4] for c in ink),
                sizes[len(sizes) // 2], first_w)


def _first_word(text: str) -> str:
    """What a line breaker would have had to fit: a Latin word or one character, with the closing
    punctuation that may not start a line."""
    text = text.lstrip()
    m = _LATIN_RUN.match(text)
    word = m.group() if m else text[:1]
    rest = text[len(word):]
    while rest[:1] in _CLOSING and rest:
        word, rest = word + rest[0], rest[1:]
    return word


# -- running heads, footers and page numbers

def drop_running(pages: list[Page]) -> None:
    """Drop lines at the top or bottom of a page that are page numbers or repeat (digits aside)
    on most pages."""
    def key(ln: Line) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", ln.text))

    def in_band(ln: Line, page: Page) -> bool:
        return ln.bottom < page.height * _BAND or ln.top > page.height * (1 - _BAND)

    seen = Counter(k for p in pages for k in {key(ln) for ln in p.items if isinstance(ln, Line) and in_band(ln, p)})
    need = max(2, (len(pages) * 3 + 4) // 5)
    for p in pages:
        p.items = [it for it in p.items if not (isinstance(it, Line) and in_band(it, p) and (
            PAGE_NUMBER.match(it.text) or seen[key(it)] >= need))]


# -- reading order: rows, then zones with a column gutter read column by column

def reading_order(items: list[Item]) -> list[tuple[list[Item], bool]]:
    """The page's items as flows, each top to bottom: (full-width run, False) or (column, True)."""
    rows: list[list[Item]] = []
    for it in sorted(items, key=lambda i: (i.top, i.x0)):
        if rows and it.top < min(r.bottom for r in rows[-1]) - 0.3 * _size(it):
            rows[-1].append(it)
        else:
            rows.append([it])
    for r in rows:
        r.sort(key=lambda i: i.x0)
    flows: list[tuple[list[Item], bool]] = []
    zone: list[list[Item]] = []
    gutter: tuple[float, float] | None = None
    for row in rows:
        gaps = [(a.x1, b.x0) for a, b in pairwise(row) if b.x0 - a.x1 > _GAP * _size(a)]
        if gutter:
            narrowed = [(max(g0, gutter[0]), min(g1, gutter[1])) for g0, g1 in gaps]
            narrowed = [g for g in narrowed if g[1] > g[0]]
            if narrowed:
                gutter = narrowed[0]
                zone.append(row)
                continue
            if len(row) == 1 and (row[0].x1 <= gutter[0] or row[0].x0 >= gutter[1]):
                zone.append(row)
                continue
        elif not gaps:
            zone.append(row)
            continue
        flows += _close(zone, gutter)
        zone, gutter = [row], (gaps[0] if gaps else None)
    return flows + _close(zone, gutter)


def _close(zone: list[list[Item]], gutter) -> list[tuple[list[Item], bool]]:
    """(flow, is_column) pairs."""
    if not zone:
        return []
    if gutter is None or sum(len(r) > 1 for r in zone) < 2:   # one split row is no column layout
        return [([it for r in zone for it in r], False)]
    left = [it for r in zone for it in r if it.x1 <= gutter[0]]
    right = [it for r in zone for it in r if it.x0 >= gutter[1]]
    return [(left, True), (right, True)]


def _size(it: Item) -> float:
    return it.size or 12.0


# -- paragraphs

def to_text(pages: list[Page]) -> str:
    """The document's text: paragraphs one per line, a table's rows with a blank line around it."""
    flows = [f for p in pages for f in reading_order(p.items)]
    # Full-width text shares the document's margins (a page's last lines alone do not show them);
    # a column has its own.
    doc = _margins([it for f, col in flows if not col for it in f if isinstance(it, Line)])
    margins = [_margins([it for it in f if isinstance(it, Line)]) if col else doc for f, col in flows]
    out: list[str] = []
    prev: tuple[Line, tuple[float, float]] | None = None
    for (flow, _), edges in zip(flows, margins):
        for it in flow:
            if isinstance(it, Table):
                out += ["", it.text, ""]
                prev = None
                continue
            if prev and _continues(prev[0], prev[1], it, edges):
                out[-1] = join(out[-1], it.text)
            else:
                out.append(it.text)
            prev = (it, edges)
    return "\n".join(out)


def _margins(lines: list[Line]) -> tuple[float, float] | None:
    """Left and right edge of a flow's text: where at least two lines start, where two end."""
    if not lines:
        return None
    size = sorted(ln.size for ln in lines)[len(lines) // 2]
    starts = Counter(round(ln.x0 / (size / 2)) for ln in lines)
    common = [k for k, n in starts.items() if n >= 2] or list(starts)
    left = min(common) * size / 2
    ends = sorted(ln.x1 for ln in lines)
    right = next((ends[i] for i in range(len(ends) - 1, 0, -1) if ends[i] - ends[i - 1] < size), ends[-1])
    return left - size / 4, right


def _continues(prev: Line, prev_edges, line: Line, edges) -> bool:
    if prev_edges is None or edges is None or LIST_START.match(line.text):
        return False
    size = prev.size
    if abs(line.size - size) > 0.25 * size or line.x0 > edges[0] + 0.8 * size:
        return False                      # another font size, or an indented first line
    same_flow = prev_edges == edges and line.top > prev.top
    if same_flow and line.top - prev.bottom > 1.2 * size:
        return False                      # a blank line between
    room = prev_edges[1] - prev.x1
    return room < line.first + 0.6 * size   # the next word did not fit: a wrap, not a paragraph end


def join(a: str, b: str) -> str:
    """Rejoin a wrapped line: one space between Latin words (word, / word,), none in Chinese
    text (时间:2024 stays together)."""
    word = a.rstrip(",;:!?)")
    if word and b and word[-1].isascii() and word[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b
