"""Metric extraction: numeric facts with indicator, unit, qualifier, scope and evidence.

Works sentence by sentence. Every number mention is read by the normaliser, then matched to
the indicator whose phrasing (catalogue triggers) stands nearest before it in the same clause,
or whose `after` phrasing follows it. Figures in shortcomings and plans sections, targets and
year-on-year changes are not results and are skipped. Evidence is always text[start:end].
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .catalogue import Catalogue, Indicator, load
from .measures import Measure, innermost
from .numbers import NumberMention, find_numbers, to_json_number

_SENTENCE = re.compile(r"[^。！!？?；;\n]+[。！!？?；;]?")
_CLAUSE_DELIMS = set(",，;；:：、()（）")
MAX_GAP = {"rate": 8, "count": 12, "amount": 12}
_NOT_RESULTS = ("problems", "plans")


@dataclass
class Metric:
    indicator: str
    value: Decimal
    unit: str
    qualifier: str | None
    scope: str
    evidence: str
    start: int
    end: int
    measure_ordinal: int | None
    weight: int = 2
    # The subset a figure is limited to (涉企, 医疗纠纷, one town or department...): not the area total.
    breakdown: str | None = None

    def as_json(self) -> dict:
        return {"indicator": self.indicator, "value": to_json_number(self.value), "unit": self.unit,
                "qualifier": self.qualifier, "scope": self.scope, "breakdown": self.breakdown,
                "evidence": self.evidence, "start": self.start, "end": self.end,
                "measure_ordinal": self.measure_ordinal}


@dataclass
class _Sentence:
    text: str
    offset: int

    def clause_bounds(self, pos: int, end: int) -> tuple[int, int]:
        """Clause around [pos, end): from after the last delimiter (or 其中) to the next one."""
        start = pos
        while start > 0 and self.text[start - 1] not in _CLAUSE_DELIMS:
            start -= 1
        qi = self.text.rfind("其中", start, pos)
        if qi >= 0:
            start = qi + 2
        stop = end
        while stop < len(self.text) and self.text[stop] not in _CLAUSE_DELIMS:
            stop += 1
        return start, stop


def sentences(text: str) -> list[_Sentence]:
    return [_Sentence(m.group(), m.start()) for m in _SENTENCE.finditer(text)]


def extract_metrics(text: str, measures: list[Measure]) -> list[Metric]:
    cat = load()
    out: list[Metric] = []
    for sent in sentences(text):
        found: list[Metric] = []
        for n in find_numbers(sent.text):
            metric = _read(sent, n, cat, measures, {f.indicator for f in found})
            if metric:
                found.append(metric)
        found += _absences(sent, cat, measures)
        found.sort(key=lambda m: m.start)
        out.extend(_sentence_rules(sent, found))
    return out


def _is_plan(sent: _Sentence, c_start: int, c_end: int, cat: Catalogue) -> bool:
    return bool(cat.target_words.search(sent.text[c_start:c_end]) or cat.future_words.search(sent.text[:c_end]))


def _measure(measures: list[Measure], pos: int) -> Measure | None:
    m = innermost(measures, pos)
    return None if m is None or m.section_kind in _NOT_RESULTS else m


def _read(sent: _Sentence, n: NumberMention, cat: Catalogue, measures, seen: set[str]) -> Metric | None:
    """The metric a number states, if any. `seen`: indicators stated earlier in the sentence."""
    if n.kind == "points":
        return None
    measure = _measure(measures, sent.offset + n.start)
    if measure is None:
        return None
    c_start, c_end = sent.clause_bounds(n.qualifier_start, n.end)
    if _is_plan(sent, c_start, c_end, cat):
        return None
    best = None
    for ind in cat.indicators.values():
        hit = _match(ind, sent, n, c_start, c_end, cat, seen)
        if hit and (best is None or hit[0] > best[0]):
            best = hit
    if best is None:
        return None
    (weight, _, _), ind, ev_start, ev_end = best
    unit = ind.unit if ind.kind == "rate" else ind.units.get(n.unit or "", ind.unit)
    return Metric(ind.code, n.value, unit, n.qualifier, _scope(sent, c_start, n.start, cat),
                  sent.text[ev_start:ev_end], sent.offset + ev_start, sent.offset + ev_end,
                  measure.ordinal, weight)


def _compatible(ind: Indicator, n: NumberMention, prefix: str, gap: str | None) -> bool:
    if ind.kind == "rate":
        if n.kind == "percent":
            return 0 <= n.value <= 100
        # "复议后败诉率为0": a bare zero states a rate of 0.
        return n.value == 0 and n.unit is None and prefix.rstrip().endswith(("为", "是", "达", "均为", "达到"))
    if n.kind != "number" or n.value < 0:
        return False
    if ind.kind == "count" and n.value != n.value.to_integral_value():
        return False
    if n.unit in ind.units:
        return True
    # A dropped measure word ("提供法律援助1175挽回..."): only right after the trigger.
    return ind.unitless and n.unit is None and gap == ""


def _match(ind: Indicator, sent: _Sentence, n: NumberMention, c_start: int, c_end: int, cat: Catalogue,
           seen: set[str]):
    prefix = sent.text[c_start:n.qualifier_start]
    clause = sent.text[c_start:c_end]
    if ind.exclude and ind.exclude.search(clause):
        return None
    if ind.exclude_sentence and ind.exclude_sentence.search(sent.text[:c_end]):
        return None
    if ind.context and not ind.context.search(sent.text[:c_end]):
        return None
    best = None
    for trig in ind.triggers:
        if trig.requires and not seen & set(trig.requires.split("|")):
            continue
        last = None
        for m in trig.pattern.finditer(prefix):
            last = m
        if last is None:
            continue
        gap = prefix[last.end():]
        if len(gap) > MAX_GAP[ind.kind] or re.search(r"\d", gap) or cat.change_words.search(gap):
            continue
        if not _compatible(ind, n, prefix, gap):
            continue
        key = (trig.weight, -len(gap), last.end() - last.start())
        if best is None or key > best[0]:
            best = (key, ind, c_start + last.start(), n.end)
    if best is None and ind.after and _compatible(ind, n, prefix, None):
        rest = sent.text[n.end:c_end if ind.kind != "count" else len(sent.text)]
        for pattern in ind.after:
            m = pattern.match(rest)
            if m:
                return (3, 0, m.end()), ind, n.qualifier_start, n.end + m.end()
    return best


_AREA_WIDE = re.compile(r"^(?:全区|全县|全市|全省|全州|全旗|全镇|全乡|全街道|各级|全区各级|全县各级|全市各级)")


def _scope(sent: _Sentence, c_start: int, pos: int, cat: Catalogue) -> str:
    """Government-as-party when its marker stands earlier in the sentence, in this clause or one
    before it: the subject carries over ("区政府作为被告的行政诉讼案件47件,无败诉案件") until a
    clause opens with an area-wide subject (全区, 各级 ...)."""
    start, end = c_start, pos
    while True:
        if any(p.search(sent.text[start:end]) for p in cat.government_as_party):
            return "government_as_party"
        if start <= 1 or _AREA_WIDE.match(sent.text[start:].lstrip()):
            return "jurisdiction"
        end = start - 1
        start, _ = sent.clause_bounds(end, end)


def _absences(sent: _Sentence, cat: Catalogue, measures) -> list[Metric]:
    out = []
    for pattern in cat.absence_patterns:
        for m in pattern.finditer(sent.text):
            measure = _measure(measures, sent.offset + m.start())
            c_start, c_end = sent.clause_bounds(m.start(), m.end())
            if measure is None or _is_plan(sent, c_start, c_end, cat):
                continue
            scope = _scope(sent, c_start, m.start("items"), cat)
            for item in re.split(r"和|及|、|或|与", m.group("items")):
                ind = _absent_indicator(item, cat)
                if ind:
                    out.append(Metric(ind.code, Decimal(0), ind.unit, None, scope, m.group(),
                                      sent.offset + m.start(), sent.offset + m.end(), measure.ordinal))
    return out


def _absent_indicator(item: str, cat: Catalogue) -> Indicator | None:
    # The head noun comes last in Chinese: 行政诉讼败诉 is about 败诉.
    best, best_end = None, -1
    for ind in cat.indicators.values():
        for word in ind.absence:
            idx = item.rfind(word)
            if idx >= 0 and idx + len(word) > best_end:
                best, best_end = ind, idx + len(word)
    return best


def _sentence_rules(sent: _Sentence, found: list[Metric]) -> list[Metric]:
    """Rules that need the whole sentence: weak phrasings yield, and 其中 breakdowns."""
    keep = []
    breakdown_at = [sent.offset + m.start() for m in re.finditer("其中", sent.text)]
    for i, m in enumerate(found):
        same = [o for o in found if o is not m and o.indicator == m.indicator and o.scope == m.scope]
        if m.weight <= 1 and any(o.weight > 1 for o in same):
            continue
        if any(o.start < b < m.start for b in breakdown_at for o in same if o in keep):
            continue  # a sub-figure after 其中 of an indicator the sentence already stated
        keep.append(m)
    return keep
