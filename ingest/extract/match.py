"""Which indicator a figure states: the phrase before it in its segment, else a phrase right after
it, else (decided by the caller) the phrase of an earlier clause that stated no figure.

All positions are offsets into a compact sentence (see segment.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.text.numbers import NumberMention

from .catalogue import Catalogue, Indicator, Trigger
from .segment import Sentence

MAX_GAP = {"rate": 10, "count": 12, "amount": 12}
MAX_AFTER = 16           # a phrase after its figure starts within this many characters
_CJK_OR_ALNUM = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_ZERO_RATE = ("为", "是", "达", "均为", "达到")
_NAMED_BY_NUMBER = re.compile(r"(?:热线|专线|平台|服务|号|系统|工程|行动|模式|品牌|机制|工作法|网|APP|小程序)")
_NEGATED = re.compile(r"(?:不予?|未予?|未能|无需|不再|暂缓)$")  # 不予受理7件 is no count of cases received


@dataclass
class Hit:
    indicator: Indicator
    weight: int
    start: int           # compact span of the evidence
    end: int
    gap: int = 0
    how: str = "before"  # before / after / carried: which mechanism found the phrase


@dataclass
class Cue:
    """What the matcher knows of a figure's surroundings."""
    topic: str | None
    seen: set[str] = field(default_factory=set)   # indicators stated earlier in the sentence
    in_table: bool = False
    # The phrases that can match in this sentence, by indicator (None: all of the catalogue's).
    triggers: dict[str, list[Trigger]] | None = None


def live_triggers(cat: Catalogue, text: str) -> dict[str, list[Trigger]]:
    """Each indicator's phrases whose required words occur in `text`, in catalogue order (ties go
    to the first): no other phrase can match in it. An indicator with `after` phrases that may
    match is listed even with no phrase of its own."""
    by_first, entries, by_word, always = _plan(cat)
    live = set(always)
    for ch in by_first.keys() & set(text):   # only words whose first character occurs
        for w in by_first[ch]:
            if w in text:
                live.update(by_word[w])
    out: dict[str, list[Trigger]] = {}
    for i in sorted(live):
        code, trig = entries[i]
        found = out.setdefault(code, [])
        if trig is not None:
            found.append(trig)
    return out


_PLANS: dict[int, tuple] = {}


def _plan(cat: Catalogue) -> tuple:
    """Every required word of the catalogue once (by first character), and which phrases (or
    `after` sets) need it."""
    if id(cat) not in _PLANS:
        entries: list[tuple[str, Trigger | None]] = []
        needs: list[frozenset[str] | None] = []
        for ind in cat.indicators.values():
            for t in ind.triggers:
                entries.append((ind.code, t))
                needs.append(t.words)
            if ind.after:
                entries.append((ind.code, None))
                needs.append(ind.after_words)
        by_word: dict[str, list[int]] = {}
        for i, words in enumerate(needs):
            for w in words or ():
                by_word.setdefault(w, []).append(i)
        always = [i for i, words in enumerate(needs) if words is None]
        by_first: dict[str, list[str]] = {}
        for w in by_word:
            by_first.setdefault(w[0], []).append(w)
        _PLANS[id(cat)] = (by_first, entries, by_word, always)
    return _PLANS[id(cat)]


def _triggers(ind: Indicator, cue: Cue):
    return ind.triggers if cue.triggers is None else cue.triggers.get(ind.code, ())


_RATE_GAP = re.compile(r"\s*(?:率|比例|比重|占比)")


def unit_of(ind: Indicator, n: NumberMention) -> str:
    return ind.unit if ind.kind == "rate" or n.unit is None else ind.units.get(n.unit, ind.unit)


def could_be(ind: Indicator, n: NumberMention) -> bool:
    """compatible()'s tests of the figure alone: False when no surroundings could make it a value
    of `ind`, so a figure's candidates are narrowed before any phrase is searched for."""
    if ind.kind == "rate":
        if n.kind == "percent":
            return n.value >= 0  # above 100 is kept and flagged out_of_range (catalogue ranges)
        return n.value == 0 and n.unit is None
    if n.kind != "number" or n.value < 0:
        return False
    if ind.kind == "count" and n.value != n.value.to_integral_value():
        return False
    return n.unit in ind.units if n.unit is not None else ind.kind == "count"


def compatible(ind: Indicator, n: NumberMention, text: str, prefix: str, cue: Cue, gap: str | None = None) -> bool:
    """Whether the figure can be a value of `ind`. `gap`: the words between its phrase and the
    figure (None when the phrase is not right before it)."""
    if not could_be(ind, n):
        return False
    if ind.kind == "rate":
        # "复议后败诉率为0": a bare zero states a rate of 0.
        return n.kind == "percent" or prefix.rstrip().endswith(_ZERO_RATE)
    if gap and _RATE_GAP.match(gap):
        return False  # 调解成功率 99: the share of a count, never the count
    return n.unit is not None or _unitless_count(n, text, cue, gap)


def _unitless_count(n: NumberMention, text: str, cue: Cue, gap: str | None) -> bool:
    """A count without a measure word: a table cell, or Arabic digits right after the phrase
    (提供法律援助1175挽回…) or standing alone before a comma (提供法律援助936,)."""
    if cue.in_table:
        return n.value > 0
    if gap is None or not text[n.start:n.start + 1].isdigit():
        return False
    if 1949 <= n.value <= 2100 or n.value == 0:
        return False  # a year, or a stray zero
    if _NAMED_BY_NUMBER.match(text, n.end):
        return False  # 法律援助12348热线: a number that names a service
    return gap == "" or not _CJK_OR_ALNUM.match(text[n.end:n.end + 1])


def allowed(cat: Catalogue, ind: Indicator, s: Sentence, region: str, c_end: int, cue: Cue) -> bool:
    """Conditions on the figure's surroundings, before any phrase is looked at."""
    if ind.exclude and ind.exclude.search(region):
        return False
    if ind.exclude_sentence and ind.exclude_sentence.search(s.text, 0, c_end):
        return False
    if cue.topic in ind.exclude_topics:
        return False
    if ind.context and cue.topic not in (None, ind.topic) and not ind.context.search(s.text[:c_end]):
        return False
    return True


def _usable(trig: Trigger, ind: Indicator, cue: Cue) -> bool:
    if trig.bare and cue.topic != ind.topic:
        return False
    return not trig.requires or bool(cue.seen & trig.requires)


def _last_phrases(ind: Indicator, cue: Cue, text: str):
    """Each usable phrase of `ind` with its last match in text."""
    for trig in _triggers(ind, cue):
        if not _usable(trig, ind, cue):
            continue
        last = None
        for m in trig.pattern.finditer(text):
            last = m
        if last is not None:
            yield trig, last


def before(cat: Catalogue, s: Sentence, n: NumberMention, seg_start: int, ind: Indicator, cue: Cue) -> Hit | None:
    """The strongest, then nearest, phrase of `ind` before the figure in its segment."""
    prefix = s.text[seg_start:n.qualifier_start]
    best: tuple[tuple[int, int, int], Hit] | None = None
    for trig, last in _last_phrases(ind, cue, prefix):
        if _NEGATED.search(prefix, 0, last.start()):
            continue
        gap = prefix[last.end():]
        if len(gap) > MAX_GAP[ind.kind] or cat.change_words.search(gap):
            continue
        if trig.bare and not cat.bare_gap.match(gap.strip()):
            continue
        if not compatible(ind, n, s.text, prefix, cue, gap):
            continue
        key = (trig.weight, -len(gap), last.end() - last.start())
        if best is None or key > best[0]:
            best = key, Hit(ind, trig.weight, seg_start + last.start(), n.end, len(gap),
                                how="bare" if trig.bare else "before")
    return best[1] if best else None


def in_label(cat: Catalogue, s: Sentence, n: NumberMention, label: str, label_start: int, ind: Indicator,
             cue: Cue) -> Hit | None:
    """The strongest phrase of `ind` in the label a 分别为 list gives the figure (see respective.py)."""
    if not compatible(ind, n, s.text, s.text[:n.qualifier_start], cue):
        return None
    best: tuple[tuple[int, int], Hit] | None = None
    for trig, last in _last_phrases(ind, cue, label):
        gap = label[last.end():]
        if trig.bare and not cat.bare_gap.match(gap.strip()):
            continue
        key = (trig.weight, -len(gap))
        if best is None or key > best[0]:
            best = key, Hit(ind, trig.weight, label_start + last.start(), n.end, len(gap), how="respective")
    return best[1] if best else None


def after(cat: Catalogue, s: Sentence, n: NumberMention, stop: int, ind: Indicator, cue: Cue) -> Hit | None:
    """A phrase right after the figure: 4103件矛盾纠纷经调解成功, 11件予以废止, 1526人次的法律咨询."""
    if not compatible(ind, n, s.text, s.text[:n.qualifier_start], cue):
        return None
    rest = s.text[n.end:]
    for pattern in ind.after:
        m = pattern.match(rest)
        if m:
            return Hit(ind, 3, n.qualifier_start, n.end + m.end(), how="after")
    tail = s.text[n.end:stop].split("、", 1)[0]
    best: Hit | None = None
    for trig in _triggers(ind, cue):
        if trig.requires or not _usable(trig, ind, cue):
            continue
        m = trig.pattern.search(tail)
        if m is None or m.start() > MAX_AFTER or cat.change_words.search(tail[:m.start()]):
            continue
        if cat.names_a_body and cat.names_a_body.match(tail, m.end()):
            continue
        hit = Hit(ind, trig.weight, n.qualifier_start, n.end + m.end(), m.start(), how="after")
        if best is None or (hit.gap, -hit.weight) < (best.gap, -best.weight):
            best = hit
    return best


def last_trigger(cat: Catalogue, text: str, start: int, stop: int, cue: Cue) -> tuple[Indicator, int] | None:
    """The indicator whose phrase ends last in text[start:stop], and where that phrase starts:
    a clause that names a figure's phrase but states no figure passes it on (…审结,共计78件)."""
    best: tuple[int, int, Indicator, int] | None = None
    clause = text[start:stop]
    for ind in (cat.indicators.values() if cue.triggers is None else map(cat.indicators.get, cue.triggers)):
        if cue.topic in ind.exclude_topics or (ind.exclude and ind.exclude.search(clause)):
            continue
        for trig in _triggers(ind, cue):
            if trig.requires or not _usable(trig, ind, cue):
                continue
            for m in trig.pattern.finditer(clause):
                key = (m.end(), trig.weight, ind, start + m.start())
                if best is None or key[:2] > best[:2]:
                    best = key
    return (best[2], best[3]) if best else None
