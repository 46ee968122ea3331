"""Rules that need more than one figure: within a sentence (weak phrasings, 其中 breakdowns) and
across the document (a headline that rounds a body figure)."""
from __future__ import annotations

import re
from decimal import Decimal
from itertools import pairwise

from ingest.text.numbers import find_numbers

from .catalogue import load
from .metric import Metric
from .segment import Sentence, breakdown_spans

_BOUND = ("超", "余", "以上")      # 超800件: at least the figure, below the next round step
_NEAR = ("近", "约", "不足")
_SHARE = re.compile(r"[,，]?\s*(?:占|约占)[^,，。;；]{0,10}?\d+(?:\.\d+)?\s*[%％]")


def sentence_rules(s: Sentence, found: list[Metric], text: str, previous: list[Metric] = ()) -> list[Metric]:
    """A weak phrasing yields to a strong one for the same indicator; figures after 其中 that
    break down a stated total (or a total the sentence never states) are breakdowns. A sentence
    that opens with 其中 breaks down the totals of the sentence before it (`previous`)."""
    keep = [m for m in found if not (m.weight <= 1 and any(
        o.weight > 1 and o.indicator == m.indicator and o.scope == m.scope for o in found))]
    cat = load()
    marks, instance_parts = [], []
    for start, stop in breakdown_spans(s.text):
        first_instance = bool(cat.not_parts and cat.not_parts.match(s.text, start))
        # Only a court's all-instance statistics have a first-instance total after 其中.
        court = first_instance and cat.court and cat.court["subject"].search(text, max(0, s.start - 200), s.end)
        span = (s.omap[start], s.omap[stop] if stop < len(s.text) else s.end, bool(find_numbers(s.text[:start])))
        if first_instance and court:
            continue
        (instance_parts if first_instance else marks).append(span)
    for m in keep:   # elsewhere 其中一审N件、二审M件 splits a total by instance
        if not m.breakdown and any(b <= m.start < stop for b, stop, _ in instance_parts):
            m.breakdown = text[m.start:m.end][:40]
    for m in keep:   # a count followed by its share (主动调解455件,占52.4%) after a larger total is a part
        if not m.breakdown and m.unit != "%" and _SHARE.match(text, m.end) and any(
                o.indicator == m.indicator and o.scope == m.scope and o.value > m.value and not o.breakdown
                and o.start < m.start for o in [*previous, *keep]):
            m.breakdown = text[m.start:m.end][:40]
    _one_kind(cat, s, keep, text)
    keep, named = _named_part_is_total(keep, marks)
    for m in keep:
        mark = max(((b, had) for b, stop, had in marks if b < m.start < stop), default=None)
        if mark is None or m.breakdown or id(m) in named:
            continue
        b, had_figure = mark
        before = [o for o in keep if o.start < b and not o.breakdown]
        if not had_figure and not text[s.start:b].strip(" ,，:："):
            before = [o for o in previous if not o.breakdown]
            had_figure = bool(before)
        families = {o.indicator.split(".")[0] for o in before}
        if _other_status(cat, text, b, m, before):
            continue
        if (any(o.indicator == m.indicator and o.scope == m.scope for o in before) or not had_figure
                or (before and m.indicator.split(".")[0] not in families)):
            m.breakdown = text[b:m.end][:40]
    _parallel_parts(s, keep, text, marks, previous)
    _outcome_of_part(cat, keep, text, marks)
    return keep


def _outcome_of_part(cat, keep: list[Metric], text: str, marks) -> None:
    """其中，调解信访纠纷2007件，调解成功1297件: when the outcome clause is a part of a stated total,
    the clause it goes on from counts the same part."""
    ordered = sorted(keep, key=lambda m: m.start)
    for m1, m2 in pairwise(ordered):
        if m1.breakdown or not m2.breakdown or m1.indicator.split(".")[0] != m2.indicator.split(".")[0]:
            continue
        if not any(b < m1.start < stop for b, stop, _ in marks):
            continue
        gap = text[m1.end:m2.start]
        lead = re.match(r"\s*[,，]", gap)
        if lead and cat.continuations and cat.continuations.match(text, m1.end + lead.end()):
            m1.breakdown = text[m1.start:m1.end][:40]


def _one_kind(cat, s: Sentence, keep: list[Metric], text: str) -> None:
    """撤销具体行政行为2件，责令履职4件: a figure naming one kind of a total that the sentence counts
    kind by kind is that kind's part, not the total."""
    for m in keep:
        ind, kinds = cat.indicators[m.indicator], cat.indicators[m.indicator].kinds
        if m.breakdown or kinds is None or not kinds.search(m.evidence) or _names_total(ind, m.evidence):
            continue
        named = {k.group() for k in kinds.finditer(m.evidence)}
        for k in kinds.finditer(text, s.start, s.end):
            if m.start <= k.start() < m.end or k.group() in named:
                continue
            if re.match(r"[^,，;；。]{0,20}?\d", text[k.end():s.end]):
                m.breakdown = text[m.start:m.end][:40]
                break


def _names_total(ind, evidence: str) -> bool:
    """The evidence names the total itself (纠错, 纠正): a phrase of the indicator that is no kind."""
    return any((t := trig.pattern.search(evidence)) and not ind.kinds.search(t.group()) for trig in ind.triggers)


def _named_part_is_total(keep: list[Metric], marks) -> tuple[list[Metric], set[int]]:
    """受理行政案件46件，其中行政诉讼案件30件: a total read from a bare word (行政案件, 受理) is broader
    than the indicator when the first item after 其中 names it by its phrase; that item is the total."""
    drop, named = set(), set()
    for b, stop, _ in marks:
        first = {}
        for m in keep:
            if b < m.start < stop:
                first.setdefault(m.indicator, m)
        for m in first.values():
            if not m.mechanism.startswith("before"):
                continue
            broad = [o for o in keep if o.start < b and o.indicator == m.indicator and o.scope == m.scope
                     and o.mechanism.startswith("bare") and not o.breakdown]
            if broad and broad[-1].start > b - 40:   # the total right before 其中, not one clauses away
                drop.add(id(broad[-1]))
                named.add(id(m))
    return [m for m in keep if id(m) not in drop], named


def _parallel_parts(s: Sentence, keep: list[Metric], text: str, marks, previous) -> None:
    """其中甲调解5件，乙调解6件；丙调解19件，成功率97%: a clause after the semicolon that opens with
    another part of the same total (its first figure of an indicator the breakdown split) goes on
    with the breakdown, up to the next semicolon."""
    for b, stop, _ in marks:
        parts = {m.indicator for m in keep if b < m.start < stop and m.breakdown}
        totals = {m.indicator for m in keep if s.start <= m.start < b and not m.breakdown}
        if not text[s.start:b].strip(" ,，:："):   # a sentence opening with 其中: the totals before it
            totals |= {m.indicator for m in previous if not m.breakdown}
        while parts & totals and stop < s.end:
            nxt = min([i for i in (text.find(";", stop + 1, s.end), text.find("；", stop + 1, s.end)) if i >= 0],
                      default=s.end)
            clause = sorted((m for m in keep if stop < m.start < nxt), key=lambda m: m.start)
            if not clause or clause[0].indicator not in parts & totals:
                return
            for m in clause:
                if not m.breakdown:
                    m.breakdown = text[m.start:m.end][:40]
            stop = nxt


def _other_status(cat, text: str, b: int, m: Metric, before: list[Metric]) -> bool:
    """收到438件，其中依法受理401件: the first item after 其中 gives the applications accepted, a
    total of its own status, not a part of those received."""
    if not (cat.status_totals and cat.status_totals.match(text, b)):
        return False
    return any(o.indicator == m.indicator and cat.received_words.search(o.evidence) for o in before) \
        and not any(o.indicator == m.indicator and b < o.start < m.start for o in before)


def document_rules(metrics: list[Metric], text: str = "") -> list[Metric]:
    """A headline that rounds a figure the body states exactly (突破千件, 超800件, 2.1万件) is the
    same fact, not a second one; a headline that repeats a body figure is read as the body reads it."""
    unique: dict[tuple, Metric] = {}
    for m in metrics:  # one statement read twice (a table row holding the same figure twice)
        unique.setdefault((m.indicator, m.scope, m.start, m.value), m)
    metrics = [m for m in unique.values() if not _repeats_body(m, metrics, text)]
    exact = {}
    for m in metrics:
        if m.qualifier is None and not m.breakdown:
            exact.setdefault((m.indicator, m.scope), []).append(m.value)
    return [m for m in metrics if not _restates(m, exact.get((m.indicator, m.scope), []))]


def _repeats_body(m: Metric, metrics: list[Metric], text: str) -> bool:
    """A heading line (short, no full stop) whose figure the body states again where it is no total
    of the indicator (a programme's count, a span of years, a part): the heading only repeats it."""
    if not text or m.breakdown or m.mechanism.startswith(("table", "vtable")):
        return False
    line_start = text.rfind("\n", 0, m.start) + 1
    line_end = text.find("\n", m.end) % (len(text) + 1)
    line = text[line_start:line_end].strip()
    before = text[:max(0, line_start - 1)].rstrip(" \t\u3000")   # up to the end of the line before
    # A heading stands alone: not a line a PDF wrapped mid-sentence (the line before ends one).
    alone = line_start < 300 or not before or before.endswith("\n") or before[-1] in "。！？!?：:”"
    if "。" in line or len(line) > 40 or line[-1:] in "，,、；;" or not alone:
        return False
    nums = find_numbers(m.evidence)
    if not nums:
        return False
    literal = m.evidence[nums[-1].start:nums[-1].end]
    body = [f.start() for f in re.finditer(re.escape(literal), text) if not line_start <= f.start() < line_end]
    return bool(body) and not any(
        o.start <= i < o.end and o.indicator == m.indicator and o.value == m.value and not o.breakdown
        for i in body for o in metrics)


def _restates(m: Metric, exact: list[Decimal]) -> bool:
    if m.breakdown or m.value <= 0:
        return False
    if m.unit == "%":
        # A share in tenths (超八成, 近九成) rounds the exact rate the body gives (84.9%).
        if not re.search(r"[一二三四五六七八九]成", m.evidence[-6:]):
            return False
        step = Decimal(10)
    else:
        step = _round_step(m.value)
    if m.qualifier in _BOUND:
        return any(m.value <= v < m.value + step for v in exact if v != m.value)
    if m.qualifier in _NEAR or (m.qualifier is None and re.search(r"[万亿]", m.evidence[-6:])):
        return any(abs(v - m.value) * 2 < step for v in exact if v != m.value)
    return False


def _round_step(value: Decimal) -> Decimal:
    """The rounding step a figure is written to: 800 -> 100, 21000 -> 1000, 1000 -> 1000."""
    step = Decimal(1)
    v = int(value)
    while v and v % 10 == 0:
        v //= 10
        step *= 10
    return step
