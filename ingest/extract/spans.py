"""The measures extraction reads, known by the fields it uses.

extract runs on the measures the parse step splits a report into (`ingest.parse.measures`), but it
is called by that step, so it knows them only as this protocol: where each one starts and ends,
how it nests, its heading and whether it reports results, shortcomings or plans.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Protocol


class Span(Protocol):
    ordinal: int
    parent_ordinal: int | None
    depth: int
    heading: str | None
    start: int
    end: int
    section_kind: str      # preamble / results / problems / plans / other


def innermost(measures: Sequence[Span], pos: int) -> Span | None:
    """The deepest measure holding `pos`: the measure a figure there belongs to."""
    best = None
    for m in measures:
        if m.start <= pos < m.end and (best is None or m.depth >= best.depth):
            best = m
    return best


class MeasureIndex:
    """`innermost` for many positions: measures nest (each ends at the next marker of its level
    or higher), so the measure holding a position is the last one starting at or before it, or
    one of that one's parents. A scan per figure would make a long report quadratic."""

    def __init__(self, measures: Sequence[Span]):
        self.by_ordinal = {m.ordinal: m for m in measures}
        self.ordered = sorted(measures, key=lambda m: (m.start, m.depth))
        self.starts = [m.start for m in self.ordered]

    def at(self, pos: int) -> Span | None:
        i = bisect_right(self.starts, pos) - 1
        m = self.ordered[i] if i >= 0 else None
        while m is not None and not m.start <= pos < m.end:
            m = self.by_ordinal.get(m.parent_ordinal) if m.parent_ordinal is not None else None
        return m
