"""Figures stated respectively: 调处率、成功率分别为97.2%和98.8% gives each value the label of its rank,
and 案件数量分别为36527件、20940件 (one label, several values) gives the parts of items listed before.

Without this, the phrase nearest before each value wins: 成功率 would take 97.2%, the 调处率.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.text.numbers import NumberMention

_SEVERALLY = re.compile(r"(?:分别|依次)(?:为|是|达到?|有|占)?\s*")
# Between two values of the list: a measure word or percent sign already read, then a separator.
_BETWEEN = re.compile(r"\s*(?:[、,，]|和|及|与|以及)\s*")
_LAST_SPLIT = re.compile(r"和|及|与")


@dataclass(frozen=True)
class Respective:
    label: str | None   # the label of this value, None when one label has several values (parts)
    start: int          # where the label starts in the sentence (the list's start for parts)


def respective(text: str, n: NumberMention, numbers: Sequence[NumberMention], c_start: int) -> Respective | None:
    """How the figure n stands in a 分别为 list of its clause (text is the sentence), or None."""
    word = None
    for m in _SEVERALLY.finditer(text, c_start, n.qualifier_start):
        word = m
    if word is None:
        return None
    values = _values(text, word.end(), numbers)
    if len(values) < 2 or n not in values:
        return None
    labels_text = text[c_start:word.start()]
    items = labels_text.split("、")
    if len(items) == 1:
        items = _LAST_SPLIT.split(labels_text)
    elif len(items) == len(values) - 1:
        last = _LAST_SPLIT.split(items[-1])
        items = items[:-1] + last if len(last) == 2 else items
    if len(items) == 1:
        return Respective(None, c_start)
    if len(items) != len(values) or not all(i.strip() for i in items):
        return None
    i = values.index(n)
    start = c_start + sum(len(x) + 1 for x in items[:i])
    return Respective(items[i], start)


def _values(text: str, pos: int, numbers: Sequence[NumberMention]) -> list[NumberMention]:
    """The run of figures starting at pos, joined by 、/和/及 (97.2%和98.8%; 36527件、20940件和11452件)."""
    out: list[NumberMention] = []
    for m in numbers:
        if m.qualifier_start < pos:
            continue
        if m.qualifier_start != pos:
            break
        out.append(m)
        sep = _BETWEEN.match(text, m.end)
        if not sep:
            break
        pos = sep.end()
    return out
