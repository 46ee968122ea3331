"""Cutting a text into what extraction reads: paragraph sentences and table rows.

A sentence is matched in compact form: asides in brackets and 《document titles》 are taken out,
so a list or a title between a phrase and its figure does not part them (纠错(含撤销、变更)23件,
废止《…办法》等规范性文件12件), and a figure inside an aside (含上年结转11件) is not read as a
statement of its own. `omap` maps every compact character back to its offset in the document, so
evidence is always the document's own text.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

SENTENCE_ENDS = "。！!？?"
CLAUSE_DELIMS = frozenset(",，;；:：")
_PAIRS = {"(": ")", "（": "）", "【": "】", "〔": "〕", "[": "]", "《": "》"}
_MAX_ASIDE = 120  # a bracket left open does not swallow the rest of the sentence
# A table row: cells separated by | (HTML, DOCX and PDF tables are rendered this way by the readers).
_TABLE_ROW = re.compile(r"^[^|\n]*\|.*$")


@dataclass
class Sentence:
    text: str            # compact text: what the matchers read
    omap: list[int]      # compact index -> document offset
    start: int           # document offsets of the sentence
    end: int

    def doc_span(self, i: int, j: int) -> tuple[int, int]:
        """Document offsets of compact [i, j)."""
        return self.omap[i], self.omap[j - 1] + 1

    def clause_bounds(self, pos: int, end: int | None = None) -> tuple[int, int]:
        """The clause around compact [pos, end): between the nearest delimiters (, ; :)."""
        end = pos if end is None else end
        start = pos
        while start > 0 and self.text[start - 1] not in CLAUSE_DELIMS:
            start -= 1
        stop = end
        while stop < len(self.text) and self.text[stop] not in CLAUSE_DELIMS:
            stop += 1
        return start, stop

    def clause_starts(self) -> list[int]:
        return [0] + [i + 1 for i, ch in enumerate(self.text) if ch in CLAUSE_DELIMS]


def compact(text: str, start: int, end: int) -> tuple[str, list[int]]:
    """text[start:end] without closed bracket groups and 《》 titles, with the offset map."""
    chars: list[str] = []
    omap: list[int] = []
    i = start
    while i < end:
        ch = text[i]
        close = _PAIRS.get(ch)
        if close is not None:
            j = _closing(text, i, end, ch, close)
            if j is not None:
                i = j + 1
                continue
        chars.append(ch)
        omap.append(i)
        i += 1
    return "".join(chars), omap


def _closing(text: str, i: int, end: int, open_: str, close: str) -> int | None:
    depth = 0
    for j in range(i, min(end, i + _MAX_ASIDE)):
        if text[j] == open_:
            depth += 1
        elif text[j] == close:
            depth -= 1
            if depth == 0:
                return j
    return None


def sentences(text: str, start: int, end: int) -> Iterator[Sentence]:
    """Sentences of one paragraph text[start:end] (a line: no newline inside)."""
    pos = start
    while pos < end:
        stop = pos
        while stop < end and text[stop] not in SENTENCE_ENDS:
            stop += 1
        stop = min(stop + 1, end)
        ctext, omap = compact(text, pos, stop)
        if ctext.strip():
            yield Sentence(ctext, omap, pos, stop)
        pos = stop


@dataclass
class Block:
    kind: str                            # 'line' or 'table'
    lines: list[tuple[int, int]]         # document spans of the block's lines


def blocks(text: str, start: int = 0) -> Iterator[Block]:
    """Paragraph lines one by one; runs of table rows (a | b | c) together."""
    table: list[tuple[int, int]] = []
    pos = start
    for line in text[start:].split("\n"):
        span = (pos, pos + len(line))
        pos += len(line) + 1
        if _TABLE_ROW.match(line) and len(line.split("|")) >= 2 and line.strip("| \t"):
            table.append(span)
            continue
        if table:
            yield Block("table", table)
            table = []
        if line.strip():
            yield Block("line", [span])
    if table:
        yield Block("table", table)
