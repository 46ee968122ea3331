"""Cutting a text into what extraction reads: paragraph sentences and table rows.

A sentence is matched in compact form: asides in brackets and 《document titles》 are taken out,
so a list or a title between a phrase and its figure does not part them (纠错(含撤销、变更)23件,
废止《…办法》等规范性文件12件), and a figure inside an aside (含上年结转11件) is not read as a
statement of its own. `omap` maps every compact character back to its offset in the document, so
evidence is always the document's own text.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

SENTENCE_ENDS = "。！!？?"
CLAUSE_DELIMS = frozenset(",，;；:：")
_PAIRS = {"(": ")", "（": "）", "【": "】", "〔": "〕", "[": "]", "《": "》"}
_SPACE = frozenset(" \t\n\u3000\xa0")
_MAX_ASIDE = 120  # a bracket left open does not swallow the rest of the sentence
MAX_SENTENCE = 1000  # real sentences run to a few hundred characters
_COMPACTED = re.compile("[" + re.escape("".join(_SPACE) + "".join(_PAIRS)) + "]")
_SENTENCE_END = re.compile(f"[{SENTENCE_ENDS}]")


@dataclass
class Sentence:
    text: str            # compact text: what the matchers read
    omap: Sequence[int]  # compact index -> document offset
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
        return start, clause_end(self.text, end)

    def clause_starts(self) -> list[int]:
        return [0] + [i + 1 for i, ch in enumerate(self.text) if ch in CLAUSE_DELIMS]


def clause_end(text: str, pos: int) -> int:
    """Where the clause holding `pos` ends: the next , ; or :, else the end of text."""
    stop = pos
    while stop < len(text) and text[stop] not in CLAUSE_DELIMS:
        stop += 1
    return stop


def breakdown_spans(text: str) -> list[tuple[int, int]]:
    """Each 其中 breakdown: from 其中 to the next semicolon or the end of the sentence."""
    spans = []
    for m in re.finditer("其中", text):
        ends = [i for i in (text.find(";", m.end()), text.find("；", m.end())) if i >= 0]
        spans.append((m.start(), min(ends, default=len(text))))
    return spans


def compact(text: str, start: int, end: int) -> tuple[str, Sequence[int]]:
    """text[start:end] without closed bracket groups, 《》 titles and the line breaks and spaces
    a layout put inside Chinese text (行政复议案\n件120件), with the offset map."""
    if not _COMPACTED.search(text, start, end):   # most sentences: nothing to take out
        return text[start:end], range(start, end)   # indexes as the list would, without building it
    chars: list[str] = []
    omap: list[int] = []
    i = start
    while i < end:
        ch = text[i]
        if ch in _SPACE:
            j = i
            while j < end and text[j] in _SPACE:
                j += 1
            if not _inside_chinese(text, i, j, start, end):  # a run of spaces is judged once
                chars += text[i:j]
                omap += range(i, j)
            i = j
            continue
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


def _inside_chinese(text: str, i: int, j: int, start: int, end: int) -> bool:
    """Whether the run of spaces text[i:j] stands between Chinese characters of one sentence."""
    if i == start or j == end:
        return False
    before, after = text[i - 1], text[j]
    return (_is_cjk(before) or _is_cjk(after)) and before not in "|" and after not in "|"


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or ch in "，。、；：（）“”"


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
    """Sentences of one paragraph text[start:end] (a line: no newline inside). A run-on longer
    than MAX_SENTENCE (a page that lost its punctuation) is cut after a clause: a sentence is
    read in time that grows with the square of its length."""
    pos = start
    while pos < end:
        m = _SENTENCE_END.search(text, pos, end)
        stop = m.end() if m else end
        if stop - pos > MAX_SENTENCE:
            cut = max(text.rfind(d, pos, pos + MAX_SENTENCE) for d in CLAUSE_DELIMS)
            stop = cut + 1 if cut > pos else pos + MAX_SENTENCE
        ctext, omap = compact(text, pos, stop)
        if ctext.strip():
            yield Sentence(ctext, omap, pos, stop)
        pos = stop


@dataclass
class Block:
    kind: str                            # 'line' or 'table'
    lines: list[tuple[int, int]]         # document spans of the block's lines


def blocks(text: str, start: int = 0) -> Iterator[Block]:
    """Paragraphs (a line, or lines a layout wrapped mid-sentence) one by one; runs of table rows
    (a | b | c) together."""
    table: list[tuple[int, int]] = []
    para: tuple[int, int] | None = None
    last = start           # where the paragraph's last line starts: only it decides a wrap
    for span in _line_spans(text, start):
        line = text[span[0]:span[1]]
        is_row = "|" in line and bool(line.strip("| \t"))
        if para and (is_row or not line.strip() or not _wrapped(text[last:para[1]], line)):
            yield Block("line", [para])
            para = None
        if is_row:
            table.append(span)
            continue
        if table:
            yield Block("table", table)
            table = []
        if line.strip():
            para = (para[0], span[1]) if para else span
            last = span[0]
    if para:
        yield Block("line", [para])
    if table:
        yield Block("table", table)


def _line_spans(text: str, start: int) -> Iterator[tuple[int, int]]:
    pos = start
    while True:
        stop = text.find("\n", pos)
        if stop < 0:
            yield pos, len(text)
            return
        yield pos, stop
        pos = stop + 1


_WRAP_MIN = 12  # a shorter line is a heading or a label, not a line a layout wrapped
_MARKER_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、是]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．]|第[一二三四五六七八九十]+)")


def _wrapped(previous: str, line: str) -> bool:
    """Whether `line` continues the sentence `previous` broke off (a PDF or Word hard wrap)."""
    last = previous.rstrip()
    return (len(last.split("\n")[-1].strip()) >= _WRAP_MIN and last[-1:] not in "。！!？?；;：:”」』）)"
            and not _MARKER_START.match(line))
