"""Labelled fields of a page's header: 索引号, 发布机构, 成文日期, 来源, 标题 ...

Government sites print the same facts in several shapes, all read here:
  [ 发布机构 ] 秀山县人民政府            来源：XX县司法局 发布时间：2024-03-26 10:00
  发布机构 | 某某区人民政府 | 成文日期 | 2024-03-01        (a table row, see read.html_to_text)
  | 标题: | 关于…的报告 |                  名称：…
and a row of labels over a row of values. A label never becomes part of a value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# kind -> labels. Kinds: the title, the publishing organisation, the publication date, the
# date written, any other date; everything else is read only so that it ends the value before it.
KINDS = {
    "title": ("标题", "名称", "文件名称", "文章标题", "信息名称", "公开事项名称", "题名"),
    "source": ("发布机构", "发文机构", "发文机关", "发文单位", "发布单位", "发布部门", "制发机关", "成文机关",
               "来源", "信息来源", "文章来源", "稿件来源", "来源单位", "新闻来源", "信息提供单位"),
    "published": ("发布日期", "发布时间", "公开日期", "公开时间", "发表时间", "发稿时间", "上传时间", "发文日期"),
    "written": ("成文日期", "成文时间", "印发日期", "签发日期"),
    "date": ("日期", "时间", "生成日期", "更新时间", "更新日期"),
    "url": ("原文链接", "网址", "链接地址"),
    "other": ("索引号", "发文字号", "文号", "字号", "主题分类", "体裁分类", "服务对象分类", "组配分类", "信息分类",
              "分类", "主题词", "关键词", "有效性", "效力状态", "时效性", "生效日期", "废止日期", "实施日期",
              "作者", "编辑", "责任编辑", "审核", "浏览次数", "访问次数", "点击数", "阅读次数", "浏览量", "阅读量",
              "字体", "统一编号", "公开方式", "公开范围", "公开形式", "公开时限", "所属机构", "责任部门",
              "信息类别", "文种", "所属主题", "公文种类", "登记号", "有效期"),
}
_KIND_OF = {label: kind for kind, labels in KINDS.items() for label in labels}
# Some sites space a label out (来  源：, 发 布 时 间：).
_LABEL = re.compile(r"([\[【]\s*)?(" + "|".join(" {0,3}".join(label) for label in sorted(_KIND_OF, key=len, reverse=True))
                    + r")(\s*[\]】])?(\s*[:：])?")
_CJK_BEFORE = re.compile(r"[\u4e00-\u9fff]")
_CELL_AFTER = re.compile(r"\s*([|｜]|$)")
_GAP_AFTER = re.compile(r"\s{2,}\S")
_YEAR_AFTER = re.compile(r"\s*\d{4}")
_VALUE_TRIM = " \t|｜[]【】:："


@dataclass(frozen=True)
class Field:
    label: str
    kind: str
    value: str
    line: int      # index of the line it was read from


def labels_in(line: str) -> list[re.Match]:
    """The label tokens of a line: a label in brackets, before a colon, alone in a table cell,
    or a date label right before a date. 资金来源 or 时间节点 in prose are not labels."""
    out = []
    for m in _LABEL.finditer(line):
        bracket, label, close, colon = m.groups()
        label = label.replace(" ", "")
        # Only the characters next to the label are looked at: a page saved as one line of
        # megabytes is not copied for each label in it.
        cjk_before = m.start() > 0 and bool(_CJK_BEFORE.match(line, m.start() - 1))
        if not bracket and cjk_before and (len(label) < 4 or not (colon or close)):
            continue
        cell = (_CELL_AFTER.match(line, m.end()) or _GAP_AFTER.match(line, m.end())) and _cell_before(line, m.start())
        dated = _KIND_OF[label] in ("published", "written", "date") and _YEAR_AFTER.match(line, m.end())
        if bracket or close or colon or cell or dated:
            out.append(m)
    return out


def _cell_before(line: str, pos: int) -> bool:
    """Whether only spaces stand between the line start or a | and pos, or a gap of two spaces
    (a header table laid out with spaces: 索 引 号  zzf/2021-00044  发布机构  州政府)."""
    start = pos
    while pos > 0 and line[pos - 1].isspace():
        pos -= 1
    return pos == 0 or line[pos - 1] in "|｜" or start - pos >= 2


def read_fields(lines: list[str]) -> list[Field]:
    fields: list[Field] = []
    for i, line in enumerate(lines):
        tokens = labels_in(line)
        if not tokens:
            continue
        column = _column_values(line, lines[i + 1] if i + 1 < len(lines) else "", tokens)
        if column:
            fields += [Field(label, _KIND_OF[label], value, i + 1) for label, value in column]
            continue
        for n, m in enumerate(tokens):
            end = tokens[n + 1].start() if n + 1 < len(tokens) else len(line)
            label = m.group(2).replace(" ", "")
            fields.append(Field(label, _KIND_OF[label], _value(line[m.end():end]), i))
    return fields


def _value(segment: str) -> str:
    """The text between a label and the next: its cells, a colspan's repeats counted once. On a
    page saved as one line the last value runs into the body: it ends at the first space."""
    cells: list[str] = []
    for cell in re.split(r"[|｜]", segment):
        cell = cell.strip(_VALUE_TRIM)
        if cell and (not cells or cells[-1] != cell):
            cells.append(cell)
    value = " ".join(cells)
    if len(value) > 80:
        value = re.split(r"\s{2,}", value)[0]
        if len(value) > 80 and not re.match(r"\d{4}\D\d", value):
            value = value.split()[0]
    return value


def _column_values(line: str, below: str, tokens: list[re.Match]) -> list[tuple[str, str]]:
    """A header row of labels only (索引号 | 发布机构 | 成文日期) over its row of values."""
    cells = [c.strip(_VALUE_TRIM).replace(" ", "") for c in line.strip().strip("|").split(" | ")]
    if len(cells) < 2 or len(tokens) != len(cells) or any(c not in _KIND_OF for c in cells):
        return []
    values = [c.strip(_VALUE_TRIM) for c in below.strip().strip("|").split(" | ")]
    if len(values) != len(cells) or labels_in(below):
        return []
    return list(zip(cells, values))


def is_field_line(line: str) -> bool:
    tokens = labels_in(line)
    if "|" in line or "｜" in line:
        # A header table row is half labels; 规范性文件 | 审核 | 48 | 备案 | 45 is a table of figures.
        cells = [c for c in re.split(r"[|｜]", line) if c.strip()]
        return len(tokens) * 2 >= len(cells)
    return bool(tokens)
