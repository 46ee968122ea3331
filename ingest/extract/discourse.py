"""What a passage is about, who a figure is about, and when: state carried along the text.

- Topic: the last topic word before a figure (in the headings above it, earlier in its measure,
  earlier in its sentence), or a topic named right after the figure in its own clause. Bare verbs
  (受理 N件, 办结 N件) count for an indicator only under its topic.
- Subject: a figure is about the area, about the government itself as respondent or defendant
  (government_as_party), or about a part of the area (a breakdown). The subject of a role phrase
  carries to later clauses of the sentence, across semicolons, until the area is named again.
- Period: cumulative, multi-year and prior-year figures are not about the reporting year. Period
  words carry to later figures of the sentence until the current year is named again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .catalogue import Catalogue
from .segment import breakdown_spans, clause_end

CONTEXT_CHARS = 600  # how far back in a measure a topic still holds
_YEAR = re.compile(r"(?<!\d)(\d{4})年度?(?:\d{1,2}月?[-—–~至到]\d{1,2}月份?)?(?![\d月至到以来—–\-~])")   # 2023年1-9月: that year's part
_ENUMERATION = frozenset("、等和及与")


def topic_events(cat: Catalogue, text: str) -> list[tuple[int, int, str]]:
    """(start, end, topic) of every topic word in text."""
    return [(m.start(), m.end(), cat.topic_words[m.group()]) for m in cat.topic_pattern.finditer(text)]


def last_topic(cat: Catalogue, text: str) -> str | None:
    events = topic_events(cat, text[-CONTEXT_CHARS:])
    return events[-1][2] if events else None


def topic_at(events: list[tuple[int, int, str]], initial: str | None, pos: int) -> str | None:
    topic = initial
    for start, _, t in events:
        if start >= pos:
            break
        topic = t
    return topic


@dataclass
class Subject:
    party: bool = False          # the government or department itself is respondent/defendant
    part: str | None = None      # the subset the figure is limited to


def _classify_subject(cat: Catalogue, words: str) -> tuple[str, str | None]:
    """'self', 'area' or 'part' (with its name), by the subject's last word. No subject = self."""
    # Ties go to the longer word: 乡镇政府 (the townships) is a part, not 政府 itself.
    best: tuple[int, int, str, str | None] | None = None
    for kind in ("self", "area", "part"):
        for m in cat.subjects[kind].finditer(words):
            key = (m.end(), m.end() - m.start(), kind, m.group() if kind == "part" else None)
            if best is None or key[:2] > best[:2]:
                best = key
    return ("self", None) if best is None else (best[2], best[3])


@dataclass(frozen=True)
class SubjectEvent:
    at: int
    kind: str                  # area / party / part / subset / local / push / pop
    label: str | None = None
    until: int = 0             # for 'local': where its clause ends


def subject_events(cat: Catalogue, text: str, own: str) -> list[SubjectEvent]:
    """Where the subject changes: the area named (area), the body itself as a party (party), one
    department or the townships as a party (part), a subset (subset, or local to its clause)."""
    events: list[SubjectEvent] = [SubjectEvent(m.start(), "area") for m in cat.area_words.finditer(text)]
    role_subjects: list[tuple[int, int]] = []
    for pattern in cat.party_roles:
        for m in pattern.finditer(text):
            kind, label = _classify_subject(cat, m.group("subject"))
            role_subjects.append(m.span("subject"))
            events.append(SubjectEvent(m.end(), {"self": "party", "area": "area", "part": "part"}[kind], label))
    breakdown_from = text.find("其中")
    for m in cat.subsets.finditer(text):
        inside_role = any(s <= m.start() and m.end() <= e for s, e in role_subjects)
        # A subset inside a list of kinds that ends in 等 (刑事、民事、行政等各类案件) limits nothing;
        # 区级部门和镇街 (two parts, no 等) still limits.
        # 涉房屋、土地征收等案件: a list of 涉 fields still limits.
        listed = not m.group().startswith("涉") and (text[m.start() - 1:m.start()] == "、" or (
            text[m.end():m.end() + 1] in _ENUMERATION
            and ("等" in text[m.end():m.end() + 16] or text[m.end():m.end() + 1] == "、"
                 or bool(cat.area_words.search(text, max(0, m.start() - 10), m.start())))))  # 全镇17个村调委会和镇调委会
        if inside_role or listed or (own and m.group() in own):
            continue
        subject = bool(cat.subject_lead and cat.subject_lead.match(text[:m.start()]))
        if cat.scope_subsets.fullmatch(m.group()) or subject or _carries(text, m, breakdown_from):
            events.append(SubjectEvent(m.start(), "subset", m.group()))
        else:
            events.append(SubjectEvent(m.start(), "local", m.group(), _local_end(cat, text, m.end())))
    # Who a 其中 breakdown item is about holds until the breakdown ends (at the next semicolon):
    # 其中县政府作为被告18件;开庭审理56件 — the hearings are the area's again.
    for start, stop in breakdown_spans(text):
        events += [SubjectEvent(start, "push"), SubjectEvent(stop, "pop")]
    events.sort(key=lambda e: e.at)
    return events


def subject_at(events: list[SubjectEvent], pos: int) -> Subject:
    subject, local, saved = Subject(), None, []
    for e in events:
        if e.at > pos:
            break
        if e.kind == "push":
            saved.append(subject)
        elif e.kind == "pop":
            subject = saved.pop() if saved else subject
        elif e.kind == "local":
            local = e.label if pos < e.until else local
        elif e.kind == "area":
            subject = Subject()
        elif e.kind == "party":
            subject = Subject(party=True, part=subject.part)
        elif e.kind == "part":  # one department or the townships as the party: a part of the area
            subject = Subject(party=False, part=e.label)
        else:
            subject = Subject(party=subject.party, part=e.label)
    return Subject(subject.party, local) if local else subject


_ORGANISATION = re.compile(r"^[\u4e00-\u9fff]{0,8}?(?:人民调解委员会|调解委员会|调委会|委员会|中心|工作站|工作室|法庭|所|组织)")
_TOPIC_PHRASE = re.compile(r"(?:方面|中|领域|工作|情况|上|重点)$")
_DIGIT = re.compile(r"[\d一二三四五六七八九十百千万]")


def _local_end(cat: Catalogue, text: str, pos: int) -> int:
    """Where a subset named in a clause stops: its clause's end, or later when the next clauses
    only go on with the outcome of the same work (调处医患纠纷12件，调解成功10件，成功率83%)."""
    end = clause_end(text, pos)
    while cat.continuations and end < len(text) and text[end] in ",，" \
            and cat.continuations.match(text, end + 1):
        end = clause_end(text, end + 1)
    return end


def _carries(text: str, m: re.Match, breakdown_from: int) -> bool:
    """Whether a subset limits the rest of its sentence (see scope_subsets in indicators.yaml)."""
    if _ORGANISATION.match(text[m.end():]):
        return True
    if 0 <= breakdown_from < m.start():
        return False
    start = max(text.rfind(d, 0, m.start()) for d in ",，;；:：") + 1
    end = clause_end(text, m.end())
    clause = text[start:end]    # a numeral inside the subset (等四类纠纷) is no figure of the clause
    return not _DIGIT.search(text[start:m.start()] + text[m.end():end]) and bool(_TOPIC_PHRASE.search(clause))


def period_events(cat: Catalogue, text: str, report_year: int | None, news: bool = False) -> list[tuple[int, str]]:
    """(position, 'current' / 'prior' / 'cumulative') where the period changes. In a news item
    (no report year of its own) 去年 is the year it reports on: 去年全省共收到复议申请4981件."""
    events: list[tuple[int, int, str]] = []
    spans: list[tuple[int, int]] = []
    for kind in ("cumulative", "prior", "current"):
        for m in cat.periods[kind].finditer(text):
            if kind == "current" and any(s <= m.start() < e for s, e in spans):
                continue   # 今年 inside 2015年至今年上半年 is part of the span
            spans.append(m.span())
            if kind == "cumulative" and report_year and _only_year(m.group()) == report_year:
                kind_here = "current"  # 2023年以来 in a 2023 report: the year so far
            elif kind == "prior" and news and report_year is None:
                kind_here = "current"
            else:
                kind_here = kind
            events.append((m.start(), 1 if kind_here == "current" else 0, kind_here))
    years = [m for m in _YEAR.finditer(text) if not any(s <= m.start() < e for s, e in spans)]
    # With no report year (a news item), a sentence that goes through several years
    # (2021年为23.22%,2022年下降至18.01%,2023年…) is about the last of them.
    # Years of comparison (较2016年) or of an action (2020年年初以来) are not such a list.
    listed = {int(m.group(1)) for m in years if not re.search(r"(?:较|比|相比|与|同)\s*$", text[max(0, m.start() - 2):m.start()])
              and not re.match(r"年?(?:年初|以来|底前|初)", text[m.end():m.end() + 4])}
    reference = report_year or (max(listed) if len(listed) > 1 else None)
    for m in years:   # a year inside 2018年至2022年 is part of the span
        # A later year names the date of a result or a plan that its own words mark; an earlier
        # one is another year's figure.
        kind = "prior" if reference and int(m.group(1)) < reference else "current"
        events.append((m.start(), 1, kind))
    events.sort()
    return [(pos, kind) for pos, _, kind in events]


def _only_year(s: str) -> int | None:
    years = re.findall(r"\d{4}", s)
    return int(years[0]) if len(years) == 1 else None


def period_at(events: list[tuple[int, str]], pos: int) -> str:
    period = "current"
    for at, kind in events:
        if at >= pos:
            break
        period = kind
    return period
