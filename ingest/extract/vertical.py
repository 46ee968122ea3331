"""Vertical tables: a table a page lost its layout for, one cell per line.

    省份 / 复议案件申请数 / 排序 / 升降 / 广东 / 17408 / 1 / + / 河南 / 10729 / 2 / ...

A run of short lines that repeats with a period k, the first k cells naming the columns (no
figure among them) and every later group of k cells having a figure in the same columns, is read
as a table of rows k cells wide: each row spans its k lines, so its evidence is exact text. The
label-and-value pairs of a two-line period (受理纠纷（件） / 3,412) are the common case."""
from __future__ import annotations

import re
from collections.abc import Iterator

from ingest.text.numbers import find_numbers

from .segment import Block

_MAX_CELL = 16
_MIN_ROWS = 2
_SENTENCE = re.compile(r"[。；;！？!?，,：:]")


def _is_cell(text: str) -> bool:
    s = text.strip()
    plain = re.sub(r"(?<=\d)[,，](?=\d)", "", s).rstrip("：:")   # 3,412 is one figure
    return 0 < len(s) <= _MAX_CELL and not _SENTENCE.search(plain)


def _one_cell(line: str) -> bool:
    cells = [c for c in line.split("|") if c.strip()]
    return len(cells) == 1 and _is_cell(cells[0])


def _is_value(text: str) -> bool:
    if re.fullmatch(r"(?:19|20)\d{2}\s*年度?", text.strip()):
        return False   # a year heads a column or a row
    found = find_numbers(text.strip())
    return len(found) == 1 and found[0].qualifier_start == 0 and found[0].end == len(text.strip()) \
        and not text.strip().startswith("第")


def regroup(text: str, stream: Iterator[Block]) -> Iterator[Block]:
    """The blocks of `stream`, with runs of one-line cell blocks regrouped as vertical tables."""
    run: list[Block] = []
    for block in stream:
        if block.kind == "line" and len(block.lines) == 1 and _is_cell(text[slice(*block.lines[0])]):
            run.append(block)
            continue
        if block.kind == "table" and all(_one_cell(text[slice(*span)]) for span in block.lines):
            run += [Block("line", [span]) for span in block.lines]   # 受理纠纷（件） | / 3,412 |
            continue
        yield from _flush(text, run)
        run = []
        yield block
    yield from _flush(text, run)


def _flush(text: str, run: list[Block]) -> Iterator[Block]:
    if len(run) < 2 * (_MIN_ROWS + 1):
        yield from run
        return
    cells = [text[slice(*b.lines[0])].strip(" |\t") for b in run]
    values = [_is_value(c) for c in cells]
    for skip in range(3):   # a caption or two may stand before the header
        for k in range(2, 9):
            rows = (len(cells) - skip) // k
            head = values[skip:skip + k]
            if rows < _MIN_ROWS + 1 or any(head):
                continue
            pattern = values[skip + k:skip + 2 * k]
            if not any(pattern):
                continue
            # Every full row has its figures in the same columns; a trailing part row stays prose.
            if all(values[skip + r * k:skip + (r + 1) * k] == pattern for r in range(1, rows)):
                used = skip + rows * k
                spans = [(run[skip + r * k].lines[0][0], run[skip + (r + 1) * k - 1].lines[0][1])
                         for r in range(rows)]
                yield from run[:skip]
                yield Block("vtable", spans)
                yield from run[used:]
                return
    yield from run
