"""Table rows: each value cell is a figure whose phrase is its row and column headers.

Readers render a table as lines of cells separated by |. A first row without value cells names
the columns; the leading cells of a row name the row. A value cell's phrase is the row's label,
the nearest label cell before it (行政复议 | 收案 | 120 | 审结 | 115) and its column header. Its
evidence is the whole row. Columns or rows headed by a year other than the report's (or, when the
year is unknown, the table's latest) hold other years' figures; the rows of a table listing
units (单位, 乡镇 ...) are breakdowns, its 合计 row the total.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.text.numbers import NumberMention, find_numbers

from .catalogue import Catalogue
from .discourse import last_topic
from .match import Cue, allowed, before, unit_of
from .metric import Metric, ReportContext
from .segment import Sentence

_YEAR = re.compile(r"^((?:19|20)\d{2})\s*年?度?$")
_UNIT_HINT = re.compile(r"[(（]\s*(万元|亿元|元|件次|件|人次|人|场次|场|次|%|％|卷|本|份|起|项)\s*[)）]")
_SERIAL = re.compile(r"^(?:序号|编号|排名|排序|No\.?)$", re.I)
# A first column that lists units (行政复议机关, 责任单位, 乡镇): its rows are parts, 合计 the total.
_UNIT_ROWS = re.compile(r"(?:单位|部门|机关|机构|乡镇|街道|镇街|地区|区县|县区|被申请人|被告)(?:名称)?$")
_UNIT_COLUMN = re.compile(r"^(?:单位|计量单位)$")
# Columns of other periods or of changes: 上年同期 | 增减(%) | 同比.
_OTHER_PERIOD = re.compile(r"上年|去年|上一年|同期|前一年|增减|增长|增幅|同比|环比|比上年|较上年|变化")
_TOTAL = re.compile(r"^(?:合计|总计|总数|共计|汇总|全[区县市省州旗])")
_GENERIC = re.compile(r"^(?:项目|数量|数值|数据|指标|指标名称|内容|类别|类型|情况|统计|本年|本期|今年|备注|单位|计量单位)$")


@dataclass
class _Row:
    start: int
    end: int
    cells: list[str]
    values: list[NumberMention | None]   # the figure a cell holds, if it is a value cell


def _cells(line: str, vertical: bool = False) -> list[str]:
    if vertical:   # one cell per line (vertical.py)
        return [c.strip(" |\t") for c in line.split("\n") if c.strip(" |\t")]
    cells = [c.strip() for c in line.split("|")]
    if cells and not cells[0]:
        cells = cells[1:]
    if cells and not cells[-1]:
        cells = cells[:-1]
    return cells


def _value(cell: str) -> NumberMention | None:
    """The figure of a cell that holds one figure and nothing else (120, 3,412, 682件, 11.2%)."""
    if not re.search(r"\d|[一二三四五六七八九十百千]{2}", cell):
        return None  # a unit (万元) or a lone character is no figure
    found = find_numbers(cell)
    if len(found) == 1 and found[0].qualifier_start == 0 and found[0].end == len(cell) and cell[:1] not in "第":
        return found[0]
    return None


def read_table(cat: Catalogue, ctx: ReportContext, spans: list[tuple[int, int]], caption: str,
               topic: str | None, measure_at, vertical: bool = False) -> list[Metric]:
    rows = []
    for start, end in spans:
        line = ctx.text[start:end]
        lead = len(line) - len(line.lstrip("| \t"))
        cells = _cells(line, vertical)
        rows.append(_Row(start + lead, start + len(line.rstrip("| \t")), cells, [_value(c) for c in cells]))
    header = rows[0] if rows and not any(v for v, c in zip(rows[0].values, rows[0].cells) if not _YEAR.match(c)) else None
    body = rows[1:] if header else rows
    target = _target_year(ctx, caption, header, body)
    topic = last_topic(cat, caption + " " + " ".join(header.cells if header else [])) or topic
    unit_rows = bool(header and _UNIT_ROWS.search(_first_label(header.cells, header)))
    out: list[Metric] = []
    for row in body:
        ordinal = measure_at(row.start)
        # The topic runs down the rows as it runs along a passage (收到复议申请 | … then 受理 | …).
        topic = last_topic(cat, " ".join(c for c, v in zip(row.cells, row.values) if v is None)) or topic
        if ordinal is not None:
            found = _read_row(cat, ctx, row, header, target, topic, unit_rows, ordinal)
            for m in found:
                m.table_head = header.cells[0] if header and header.cells else None
            out += found
    return out


def _first_label(cells: list[str], header: _Row | None) -> str:
    for j, c in enumerate(cells):
        if header and j < len(header.cells) and _SERIAL.match(header.cells[j]):
            continue
        if c and not _SERIAL.match(c):
            return c
    return ""


def _target_year(ctx: ReportContext, caption: str, header: _Row | None, body: list[_Row]) -> int | None:
    years = {int(m.group(1)) for m in re.finditer(r"((?:19|20)\d{2})年", caption)}
    cells = (header.cells if header else []) + [r.cells[0] for r in body if r.cells]
    years |= {int(m.group(1)) for c in cells if (m := _YEAR.match(c))}
    if not years:
        return None
    return ctx.report_year if ctx.report_year in years else max(years)


def _read_row(cat, ctx, row: _Row, header, target, topic, unit_rows, ordinal) -> list[Metric]:
    aligned = header is not None and len(header.cells) == len(row.cells)
    unit_col = next((j for j, c in enumerate(header.cells) if _UNIT_COLUMN.match(c)), None) if aligned else None
    labels = [(j, c) for j, c in enumerate(row.cells)
              if row.values[j] is None and c and not _SERIAL.match(c) and j != unit_col]
    row_label = labels[0][1] if labels else ""
    year = _YEAR.match(row_label) or (_YEAR.match(row.cells[0]) if row.cells else None)
    if year and target and int(year.group(1)) != target:
        return []
    if year:
        row_label = ""
    part = row_label if row_label and not _TOTAL.match(row_label) and (
        unit_rows or cat.subsets.search(row_label) or cat.subjects["part"].fullmatch(row_label)) else None
    unit = f"({row.cells[unit_col]})" if unit_col is not None and row.cells[unit_col] else ""
    out = []
    for j, n in enumerate(row.values):
        if n is None or (aligned and _SERIAL.match(header.cells[j])) or (j == 0 and _serial_like(row, n)):
            continue
        col = header.cells[j] if aligned else ""
        if _OTHER_PERIOD.search(col):
            continue
        col_year = _YEAR.match(col)
        if col_year:
            if target and int(col_year.group(1)) != target:
                continue
            col = ""
        nearest = next((c for k, c in reversed(labels) if k < j), "")
        parts = [p for p in (row_label, nearest if nearest != row_label else "", col, unit) if p and not _GENERIC.match(p)]
        metric = _cell_metric(cat, ctx, row, parts, row.cells[j], n, topic, ordinal, part)
        if metric:
            out.append(metric)
    return out


def _serial_like(row: _Row, n: NumberMention) -> bool:
    # A row numbered 1, 2, 3 before its label: the number is the row's, not a figure.
    return n.unit is None and n.value < 1000 and any(v is None for v in row.values[1:2])


def _cell_metric(cat, ctx, row: _Row, parts: list[str], cell: str, value: NumberMention, topic, ordinal,
                 part) -> Metric | None:
    """The indicator a cell states, read as its phrase followed by the cell (its unit from a
    header such as 挽回经济损失(万元) when the cell has none)."""
    hint = next((m.group(1) for p in parts for m in [_UNIT_HINT.search(p)] if m), None)
    phrase = " ".join(_UNIT_HINT.sub("", p) for p in parts)
    if cat.target_words.search(phrase):
        return None
    text = phrase + cell + (hint if hint and value.unit is None and value.kind == "number" else "")
    n = find_numbers(text)[-1]
    s = Sentence(text, [row.start] * len(text), row.start, row.end)
    cue = Cue(last_topic(cat, phrase) or topic, in_table=True)
    best = None
    for ind in cat.indicators.values():
        if not allowed(cat, ind, s, phrase, len(text), cue):
            continue
        hit = before(cat, s, n, 0, ind, cue)
        if hit and (best is None or (hit.weight, -hit.gap) > (best.weight, -best.gap)):
            best = hit
    if best is None:
        return None
    ind = best.indicator
    return Metric(ind.code, n.value, unit_of(ind, n), n.qualifier, "jurisdiction",
                  ctx.text[row.start:row.end], row.start, row.end, ordinal, best.weight, part,
                  mechanism=f"table.w{best.weight}")
