"""Split a report body into its numbered measures (举措); tagging.py gives them topics and keywords.

Numbering levels: 一、 (1) / (一) (2) / 1. or 1、 (3) / (1) (4) / 一是 inline (5). Each measure spans its
heading and everything up to the next marker of the same or a higher level, so measures nest;
a metric belongs to the innermost measure that contains it. Sections about shortcomings and
plans are marked so their figures are never read as results.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_CN = "一二三四五六七八九十"
# Section markers start a line, or follow a sentence end when a page lost its line breaks: no
# character before them but one of these (one lookbehind is twice as fast as three).
_AFTER_END = r"(?<![^\n。；;:：！! \u3000])[ \t]*"
_MARKERS = [
    (1, re.compile(rf"{_AFTER_END}([{_CN}]{{1,3}})、")),
    (2, re.compile(rf"{_AFTER_END}[(（]([{_CN}]{{1,3}})[)）]")),
    (3, re.compile(r"(?m)^[ \t]*(\d{1,2})(?:[、．]|\.(?!\d))")),
    (4, re.compile(r"(?m)^[ \t]*[(（](\d{1,2})[)）]")),
    (5, re.compile(rf"{_AFTER_END}([{_CN}]{{1,3}})是(?=[\u4e00-\u9fff“《])")),
]
# Top-level headings ("二、存在的问题", "三、2024年工作安排") are searched; a deeper heading must
# start like one ("(五)下一步工作打算"), since "突出问题导向" or "创新思路" are results.
_PROBLEMS = re.compile(r"存在|不足|短板|差距|薄弱环节|问题(?:和|及|与)|^问题|问题$")
_PLANS = re.compile(r"下一步|下步|工作安排|工作思路|工作打算|打算|工作计划|思路|展望|工作重点|努力方向|工作设想|"
                    r"(?:安排|计划|目标)$")
_DEEP = re.compile(r"^(?:\d{4}年度?)?(?:下一步|下步|今后|明年|主要|重点)?(?:工作)?(?:安排|思路|打算|计划|设想)|"
                   r"^存在的?(?:主要)?(?:问题|不足)")


@dataclass
class Measure:
    ordinal: int
    parent_ordinal: int | None
    depth: int
    section: str
    heading: str | None
    start: int
    end: int
    section_kind: str
    text: str = ""
    topics: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"ordinal": self.ordinal, "parent_ordinal": self.parent_ordinal, "depth": self.depth,
                "section": self.section, "heading": self.heading, "section_kind": self.section_kind,
                "text": self.text, "start": self.start, "end": self.end,
                "topics": self.topics, "keywords": self.keywords}


def _markers(text: str, start: int) -> list[tuple[int, int, str, int]]:
    """(position, level, label, end of marker) in body order."""
    found = []
    for level, pattern in _MARKERS:
        for m in pattern.finditer(text, start):
            label = {1: "{}", 2: "({})", 3: "{}", 4: "({})", 5: "{}是"}[level].format(m.group(1))
            found.append((m.start(1) - (1 if level in (2, 4) else 0), level, label, m.end()))
    found.sort()
    return found


def _heading(text: str, start: int, limit: int) -> str | None:
    line = text[start:limit].split("\n", 1)[0]
    # On a one-line page the heading runs into the next marker: stop at it too.
    head = re.split(r"[。；;]|(?<=\S)\s+(?=\S)|[(（][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}是",
                    line.strip(), maxsplit=1)[0].strip()
    return head[:80] or None


def _kind(headings: list[str | None]) -> str:
    for depth, h in enumerate(headings):
        if not h:
            continue
        if depth > 0:
            m = _DEEP.match(h)
            if m:
                return "problems" if m.group().startswith("存在") else "plans"
            continue
        # A heading's first clause names its section; a 六是… sentence used as a heading may say
        # 存在的隐患 further on without being about shortcomings.
        h = re.split(r"[，,：:]", h, maxsplit=1)[0]
        if _PLANS.search(h):
            return "plans"
        if _PROBLEMS.search(h) and not re.search(r"成效|举措", h):
            return "problems"
    return "results"


def split_measures(text: str, body_start: int) -> list[Measure]:
    end_of_text = len(text.rstrip())
    marks = _markers(text, body_start)
    measures: list[Measure] = []
    first = marks[0][0] if marks else end_of_text
    if text[body_start:first].strip():
        measures.append(Measure(0, None, 0, "", None, body_start, first, "preamble"))
    ends = _ends(marks, end_of_text)
    stack: list[tuple[int, Measure, str | None]] = []  # (level, measure, heading)
    for (pos, level, label, mark_end), end in zip(marks, ends):
        while stack and stack[-1][0] >= level:
            stack.pop()
        heading = _heading(text, mark_end, end)
        parent = stack[-1][1] if stack else None
        path = [s[1].section.split(".")[-1] for s in stack] + [label]
        kind = _kind([s[2] for s in stack] + [heading])
        m = Measure(len(measures), parent.ordinal if parent else None, level, ".".join(path),
                    heading, pos, end, kind)
        measures.append(m)
        stack.append((level, m, heading))
    for m in measures:
        m.end = _trim_end(text, m.start, m.end)
        m.text = text[m.start:m.end]
    return measures


def _ends(marks: list[tuple[int, int, str, int]], end_of_text: int) -> list[int]:
    """Where each marker's measure ends: at the next marker of the same or a higher level.
    One pass from the back, so a report with thousands of markers stays linear."""
    nearest: dict[int, int] = {}   # level -> position of the nearest later marker of that level
    ends = []
    for pos, level, *_ in reversed(marks):
        ends.append(min((p for lv, p in nearest.items() if lv <= level), default=end_of_text))
        nearest[level] = pos
    return ends[::-1]


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
