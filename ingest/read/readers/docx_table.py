"""Word tables (w:tbl) rendered as saved pages' tables are (`html._table`), for `extract.tables`:
one line per row, cell texts joined by " | ", a horizontally merged cell (gridSpan) repeated
over its columns, a vertically merged one (vMerge) filled down with the text of the cell above.
A one-cell row, and a row whose cells hold a table or paragraphs of prose (page layout, not
data), keep their own lines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import inflate

_MAX_SPAN = 50


@dataclass
class _Cell:
    col: int            # first grid column
    span: int           # grid columns covered
    merged: bool        # a vMerge continuation: shows the cell above
    lines: list[str]    # the cell's own lines (its paragraphs; nested tables as blocks)
    nested: bool        # holds a table


def render_table(tbl, walker) -> str:
    lines: list[str] = []
    above: dict[int, str] = {}     # grid column -> text shown there in the row above
    for tr in _children(tbl, "tr", walker.w):
        cells = _cells(tr, walker)
        texts = [_flat(c.lines) for c in cells]
        if not cells:
            continue
        continues = any(c.merged for c in cells)
        if len(cells) == 1 and cells[0].span <= 1 and not continues or _is_layout(cells):
            lines += [line for c in cells for line in c.lines if line.strip()]
            above = {}
            continue
        row: list[str] = []
        shown: dict[int, str] = {}
        for cell, text in zip(cells, texts):
            while len(row) < cell.col:
                row.append("")   # grid columns skipped (gridBefore)
            if cell.merged:
                text = above.get(cell.col, text)
            for col in range(cell.col, cell.col + cell.span):
                row.append(text)
                shown[col] = text
        above = shown
        if any(row):
            # merged cells repeat their text: counted before the row is built
            inflate.current().add_text(inflate.joined_length(row, " | "))
            lines.append(" | ".join(row))
    return "\n".join(lines)


def _cells(tr, walker) -> list[_Cell]:
    w = walker.w
    col = _int(_val(tr.find(f"{w}trPr/{w}gridBefore"), w), 0)
    out: list[_Cell] = []
    for tc in _children(tr, "tc", w):
        pr = tc.find(f"{w}tcPr")
        span = _int(_val(pr.find(f"{w}gridSpan"), w), 1) if pr is not None else 1
        span = max(1, min(span, _MAX_SPAN))
        vmerge = pr.find(f"{w}vMerge") if pr is not None else None
        hmerge = pr.find(f"{w}hMerge") if pr is not None else None
        if hmerge is not None and _val(hmerge, w) != "restart" and out:
            out[-1].span += span      # legacy horizontal merge: part of the cell before
            col += span
            continue
        merged = vmerge is not None and _val(vmerge, w) in (None, "continue")
        lines = walker.blocks(tc)
        nested = tc.find(f".//{w}tbl") is not None
        out.append(_Cell(col, span, merged, lines, nested))
        col += span
    return out


def _children(el, name: str, w: str):
    """Rows of a table, cells of a row: also those wrapped in content controls or custom XML."""
    for child in el:
        tag = child.tag
        if tag == f"{w}{name}":
            yield child
        elif tag in (f"{w}sdt", f"{w}customXml"):
            inner = child.find(f"{w}sdtContent") if tag == f"{w}sdt" else child
            if inner is not None:
                yield from _children(inner, name, w)


def _flat(lines: list[str]) -> str:
    return re.sub(r"\s+", " ", " ".join(line for line in lines if line.strip())).strip()


def _is_layout(cells: list[_Cell]) -> bool:
    """Cells holding a table or paragraphs of prose are page layout, not data (as html._is_layout)."""
    for c in cells:
        text = "\n".join(line for line in c.lines if line.strip())
        if c.nested or "\n" in text and (text.count("\n") >= 2 and len(text) > 120 or text.count("。") >= 2):
            return True
    return False


def _val(el, w: str) -> str | None:
    return None if el is None else el.get(f"{w}val")


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
