"""Reading one sentence: each figure in turn, with the topic, subject and period at that point,
and the statements of absence (无行政败诉案件 -> 0)."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from ingest.text.numbers import NumberMention, find_numbers

from .catalogue import Catalogue, Indicator
from .discourse import (Subject, period_at, period_events, subject_at, subject_events, topic_at,
                        topic_events)
from .match import (Cue, Hit, after, allowed, before, compatible, could_be, in_label, last_trigger, live_triggers,
                    unit_of)
from .metric import Metric, ReportContext
from .respective import respective
from .segment import Sentence

# Figures that do not end a phrase's segment: dates and ages are not statements.
_TIME_UNITS = frozenset({"年", "月", "日", "号", "天", "小时", "岁", "届"})
_OWN_OBJECT = 2          # a topic named this close after a figure is the figure's own object
_ITEM_SPLIT = re.compile(r"和|及|、|或|与")


@dataclass
class _State:
    """What a sentence has said so far."""
    found: list[Metric]
    pending: tuple[Indicator, int] | None = None

    @property
    def seen(self) -> set[str]:
        return {m.indicator for m in self.found}


class SentenceReader:
    def __init__(self, cat: Catalogue, ctx: ReportContext, s: Sentence, topic: str | None, measure_at,
                 period: str = "current"):
        self.cat, self.ctx, self.s = cat, ctx, s
        self.initial_period = period   # a sentence opening with 其中 goes on in the period of the one before
        self.initial_topic = topic
        self.measure_at = measure_at          # document offset -> measure ordinal, or None to skip
        self.topics = topic_events(cat, s.text)
        self.final_topic = self.topics[-1][2] if self.topics else topic  # what the next sentence inherits
        self._plans: dict[tuple[int, int], bool] = {}

    # Who and when are read only for sentences with a figure or a statement of absence.
    @cached_property
    def subjects(self) -> list:
        return subject_events(self.cat, self.s.text, self.ctx.own_names)

    @cached_property
    def live(self) -> dict:
        return live_triggers(self.cat, self.s.text)

    @cached_property
    def possible(self) -> list:
        return [self.cat.indicators[code] for code in self.live]

    @cached_property
    def periods(self) -> list:
        found = period_events(self.cat, self.s.text, self.ctx.report_year, self.ctx.kind == "news")
        return [(-1, self.initial_period), *found] if self.initial_period != "current" else found

    @property
    def opening_period(self) -> str | None:
        """The period the first clause sets (2017年-2019年，… / 2023年，…), if it sets one:
        'cumulative' for a span of years, else 'current'."""
        first = re.search(r"[,，;；:：。]", self.s.text)
        stop = first.start() if first else len(self.s.text)
        kinds = [kind for at, kind in self.periods if 0 <= at < stop]
        if not kinds:
            return None
        return "cumulative" if kinds[-1] == "cumulative" else "current"

    @property
    def final_period(self) -> str:
        return period_at(self.periods, len(self.s.text) + 1)

    def read(self) -> list[Metric]:
        if not self.possible:   # no phrase can match here: only statements of absence are read
            return sorted(self._absences(), key=lambda m: m.start)
        s = self.s
        numbers = find_numbers(s.text)
        state = _State([])
        starts = s.clause_starts()
        by_clause: list[list[NumberMention]] = [[] for _ in starts]   # each figure's clause, found once
        for n in numbers:
            k = bisect_right(starts, n.qualifier_start) - 1
            if n.qualifier_start < (starts[k + 1] - 1 if k + 1 < len(starts) else len(s.text)):
                by_clause[k].append(n)
        last_figure = max((n.qualifier_start for n in numbers), default=-1)
        for k, c_start in enumerate(starts):
            c_end = starts[k + 1] - 1 if k + 1 < len(starts) else len(s.text)
            produced = False
            seg_start = c_start
            for n in by_clause[k]:
                metric = self._figure(n, seg_start, c_start, c_end, numbers, state)
                if metric:
                    state.found.append(metric)
                    produced = True
                if _cuts(n, s.text):
                    seg_start = n.end
            if produced:
                state.pending = None
            elif last_figure >= c_end:  # only a later figure can take it
                cue = Cue(topic_at(self.topics, self.initial_topic, c_end), state.seen, triggers=self.live)
                state.pending = last_trigger(self.cat, s.text, c_start, c_end, cue) or state.pending
        state.found += self._absences()
        state.found.sort(key=lambda m: m.start)
        return state.found

    # -- one figure ----------------------------------------------------------------------------
    def _figure(self, n: NumberMention, seg_start: int, c_start: int, c_end: int,
                numbers: list[NumberMention], state: _State) -> Metric | None:
        s, cat = self.s, self.cat
        if n.kind == "points":
            return None
        ordinal = self.measure_at(s.omap[n.start])
        # A plan word in a later item of the clause (废止60件、拟修改9件) is that item's.
        if (ordinal is None or self._is_plan(c_start, _next_list_mark(s.text, n.end, c_end))
                or self._quoted_plan(n.qualifier_start)):
            return None
        maybe = [i for i in self.possible if could_be(i, n)]
        if not maybe:
            return None
        # Another year's figure, unless it is the level a change starts from: then its phrase goes on
        # to the level reached (由2022年的83.5%上升至2023年的97.2%).
        other_year = period_at(self.periods, n.qualifier_start) != "current" or self._prior_value(seg_start, n)
        starting = self._starting_level(n)
        if other_year and not starting:
            return None
        nxt = next((m.qualifier_start for m in numbers if m.qualifier_start >= n.end), len(s.text))
        stop = min(nxt, c_end)
        region_end = min(stop, _next_list_mark(s.text, n.end, stop))
        cue = Cue(self._topic(n, stop), state.seen, triggers=self.live)
        region = s.text[seg_start:region_end]
        candidates = [i for i in maybe if allowed(cat, i, s, region, c_end, cue)]
        listed = respective(s.text, n, numbers, c_start)
        if listed and listed.label is not None:   # 调处率、成功率分别为97.2%和98.8%
            hit = self._in_label(n, listed.label, listed.start, candidates, cue)
        else:
            hit = self._best_before(n, seg_start, candidates, cue)
            if hit is None:
                hit = self._carried(n, seg_start, candidates, cue, state)
            if hit is None:
                hit = self._best_after(n, stop, candidates, cue)
        if hit is None or (hit.how in ("bare", "carried") and self._turns_topic(n, hit.indicator.topic)):
            return None
        if other_year or starting:   # 由上年的17.4%下降至9.1%
            state.pending = (hit.indicator, hit.start)
            return None
        if self._not_a_count(hit.indicator, n):
            return None
        metric = self._metric(hit, n, ordinal)
        if listed and listed.label is None:   # one label, several values: 案件数量分别为36527件、20940件, each a listed item's
            metric.breakdown = metric.breakdown or s.text[listed.start:n.end][-40:]
        return metric

    def _prior_value(self, seg_start: int, n: NumberMention) -> bool:
        """A value quoted for comparison right before the figure (上年同期为83件, 较2020年的58件); the
        reporting year's own (2023年的97.2%) is not one."""
        m = self.cat.prior_value.search(self.s.text[seg_start:n.qualifier_start])
        year = re.search(r"\d{4}", m.group()) if m else None
        return bool(m) and not (year and self.ctx.report_year and int(year.group()) == self.ctx.report_year)

    def _starting_level(self, n: NumberMention) -> bool:
        cat, text = self.cat, self.s.text
        return bool(cat.from_value and cat.from_value.search(text, max(0, n.qualifier_start - 8), n.qualifier_start)
                    and cat.to_after.match(text, n.end))

    def _not_a_count(self, ind: Indicator, n: NumberMention) -> str | None:
        """Why the figure is no value of `ind` here: a threshold places are said to reach, a
        narrative 一次, or a court's count of all instances (see court_statistics in
        indicators.yaml). None when it is one."""
        s, cat = self.s, self.cat
        if cat.threshold_after and cat.threshold_after.match(s.text, n.end):
            return "threshold"
        if cat.counted_other and cat.counted_other.match(s.text, n.end):
            return "another noun"
        if (cat.narrative_once and n.unit in cat.narrative_units
                and cat.narrative_once.match(s.text[n.start:n.end].rstrip("".join(cat.narrative_units)))):
            return "once"
        court = cat.court
        # The court may be named in the sentence before (全市法院受理…。共审结各类…).
        if court and ind.code in court["indicators"] and (
                court["subject"].search(s.text, 0, n.start)
                or court["subject"].search(self.ctx.text, max(0, s.start - 120), s.start)):
            words = court["instance"].findall(s.text, 0, n.qualifier_start)
            if re.match(r"(?:件|起)?的?" + court["first"], s.text[n.end:]):   # 在审结的1046件一审行政案件中
                return None
            if not words:
                return None if ind.code in court["first_by_default"] else "court"
            return "court" if words[-1] != court["first"] else None
        return None

    def _best_before(self, n, seg_start, candidates, cue) -> Hit | None:
        best = None
        for ind in candidates:
            hit = before(self.cat, self.s, n, seg_start, ind, cue)
            if hit and (best is None or (hit.weight, -hit.gap) > (best.weight, -best.gap)):
                best = hit
        return best

    def _in_label(self, n, label, label_start, candidates, cue) -> Hit | None:
        best = None
        for ind in candidates:
            hit = in_label(self.cat, self.s, n, label, label_start, ind, cue)
            if hit and (best is None or (hit.weight, -hit.gap) > (best.weight, -best.gap)):
                best = hit
        return best

    def _best_after(self, n, stop, candidates, cue) -> Hit | None:
        best = None
        for ind in candidates:
            hit = after(self.cat, self.s, n, stop, ind, cue)
            if hit and (best is None or (hit.gap, -hit.weight) < (best.gap, -best.weight)):
                best = hit
        return best

    def _carried(self, n, seg_start, candidates, cue, state: _State) -> Hit | None:
        """An earlier clause named the phrase but no figure: 复议案件已全部审结,共计78件."""
        if state.pending is None:
            return None
        ind, start = state.pending
        if ind not in candidates or not self.cat.filler.match(self.s.text[seg_start:n.qualifier_start]):
            return None
        if self.cat.own_object and self.cat.own_object.match(self.s.text, n.end):
            return None
        if not compatible(ind, n, self.s.text, self.s.text[:n.qualifier_start], cue):
            return None
        state.pending = None
        return Hit(ind, 2, start, n.end, how="carried")

    def _turns_topic(self, n: NumberMention, own: str | None) -> bool:
        """承办案件53件，46起案件已判决或裁定，保持零败诉: a bare verb took its topic from the sentence
        before, but the sentence's own words name the other kind of case a government is party to
        (复议 / 诉讼): it is about that one."""
        rivals = self.cat.party_topics
        if own not in rivals or any(start < n.qualifier_start for start, _, _ in self.topics):
            return False
        return any(start >= n.end and topic != own and topic in rivals for start, _, topic in self.topics)

    def _topic(self, n: NumberMention, stop: int) -> str | None:
        for start, _, topic in self.topics:
            if n.end <= start <= n.end + _OWN_OBJECT and start <= stop:   # 一审 reads as a figure too
                return topic
        return topic_at(self.topics, self.initial_topic, n.qualifier_start)

    def _is_plan(self, c_start: int, c_end: int) -> bool:
        key = (c_start, c_end)
        if key not in self._plans:   # every figure of a clause asks the same
            s, cat = self.s, self.cat
            self._plans[key] = bool(cat.target_words.search(s.text, c_start, c_end)
                                    or cat.future_words.search(s.text, 0, c_end))
        return self._plans[key]

    def _quoted_plan(self, pos: int) -> bool:
        """Whether pos stands inside a quoted requirement: 提出“…服务5万件”."""
        text = self.s.text
        opened = text.rfind("“", 0, pos)
        return (opened >= 0 and text.rfind("”", 0, pos) < opened and self.cat.quoted_plan is not None
                and bool(self.cat.quoted_plan.search(text, 0, opened)))

    def _metric(self, hit: Hit, n: NumberMention, ordinal: int) -> Metric:
        ind = hit.indicator
        start, end = self.s.doc_span(hit.start, hit.end)
        scope, part = self._scope(ind, subject_at(self.subjects, n.qualifier_start))
        return Metric(ind.code, n.value, unit_of(ind, n), n.qualifier, scope, self.ctx.text[start:end],
                      start, end, ordinal, hit.weight, part, mechanism=f"{hit.how}.w{hit.weight}")

    def _scope(self, ind: Indicator, subject: Subject) -> tuple[str, str | None]:
        party = subject.party and ind.topic in self.cat.party_topics
        return ("government_as_party" if party else "jurisdiction"), subject.part

    # -- statements of absence -----------------------------------------------------------------
    def _absences(self) -> list[Metric]:
        s, cat, out = self.s, self.cat, []
        for pattern in cat.absence_patterns:
            for m in pattern.finditer(s.text):
                ordinal = self.measure_at(s.omap[m.start()])
                c_start, c_end = s.clause_bounds(m.start(), m.end())
                if ordinal is None or self._is_plan(c_start, c_end):
                    continue
                # None since 2022 (2022年至今无…, 近三年无败诉) is none in the reporting year too.
                if period_at(self.periods, m.start()) not in ("current", "cumulative"):
                    continue
                subject = subject_at(self.subjects, m.start("items"))
                start, end = s.doc_span(m.start(), m.end())
                for item in _ITEM_SPLIT.split(m.group("items")):
                    ind = _absent_indicator(item, cat)
                    if ind:
                        scope, part = self._scope(ind, subject)
                        out.append(Metric(ind.code, Decimal(0), ind.unit, None, scope, self.ctx.text[start:end],
                                          start, end, ordinal, 3, part, mechanism="absence"))
        return out


def _absent_indicator(item: str, cat: Catalogue) -> Indicator | None:
    # The head noun comes last in Chinese: 行政诉讼败诉 is about 败诉, so the item must end with it.
    best, best_len = None, 0
    if cat.absence_not and cat.absence_not.search(item):
        return None
    for ind in cat.indicators.values():
        for word in ind.absence:
            if item.endswith(word) and len(word) > best_len:
                best, best_len = ind, len(word)
    return best


def _cuts(n: NumberMention, text: str) -> bool:
    """Whether a figure ends the segment of the next one (a year or a hotline number does not)."""
    if n.unit in _TIME_UNITS:
        return False
    return not (n.unit is None and n.kind == "number" and re.match(r"[\u4e00-\u9fff]", text[n.end:n.end + 1]))


def _next_list_mark(text: str, start: int, stop: int) -> int:
    i = text.find("、", start, stop)
    return stop if i < 0 else i
