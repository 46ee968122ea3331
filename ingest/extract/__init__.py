"""Metric extraction: numeric facts with indicator, unit, qualifier, scope and evidence.

The text is read paragraph by paragraph and sentence by sentence (sentence.py), table rows row by
row (tables.py). Each figure is matched to the phrasing of an indicator (catalogue triggers in
indicators.yaml) before it, after it, or in an earlier clause, under the discourse state at that
point (discourse.py): the topic of the passage, who the figure is about (the area, the government
itself as a party, or a part of the area: a breakdown), and the period (figures of other years,
targets, plans and changes are not results). Figures in shortcomings and plans sections are
skipped. Evidence is always text[start:end].
"""
from __future__ import annotations

from collections.abc import Sequence

from ingest.text import figure_problem

from .catalogue import load
from .confidence import assign
from .discourse import CONTEXT_CHARS, last_topic, topic_events
from .metric import Metric, ReportContext
from .places import mark_places
from .rules import document_rules, sentence_rules
from .segment import blocks, sentences
from .sentence import SentenceReader
from .spans import MeasureIndex, Span
from .tables import read_table
from .vertical import regroup

__all__ = ["Metric", "ReportContext", "extract_metrics"]

_NOT_RESULTS = ("problems", "plans")
_CAPTION_CHARS = 60


def extract_metrics(text: str, measures: Sequence[Span], context: ReportContext | None = None) -> list[Metric]:
    cat = load()
    ctx = context or ReportContext()
    ctx.text = text
    out: list[Metric] = []

    index = MeasureIndex(measures)

    def measure_at(pos: int) -> int | None:
        m = index.at(pos)
        return None if m is None or m.section_kind in _NOT_RESULTS else m.ordinal

    for block in regroup(text, blocks(text)):
        start = block.lines[0][0]
        topic = _topic_before(cat, text, index, start)
        if block.kind in ("table", "vtable"):
            caption = _caption(text, start)
            out += read_table(cat, ctx, block.lines, caption, topic, measure_at, vertical=block.kind == "vtable")
            continue
        previous: list[Metric] = []
        before = None   # the reader of the sentence before: its period is asked for only after 其中
        # A paragraph that opens with a span of years (2017年-2019年，某院共受理…) goes on in it: its
        # later sentences with no period of their own count the span, not the year.
        paragraph, last_end = "current", None
        for s in sentences(text, *block.lines[0]):
            if last_end is not None and "\n" in text[last_end:s.start]:
                paragraph = "current"
            last_end = s.end
            if _not_read(index, s.start, s.end):   # all of it in plans or shortcomings: only its topic counts
                events = topic_events(cat, s.text)
                topic = events[-1][2] if events else topic
                continue
            period = before.final_period if before is not None and s.text.startswith("其中") else paragraph
            reader = SentenceReader(cat, ctx, s, topic, measure_at, period)
            paragraph = reader.opening_period or paragraph
            previous = sentence_rules(s, reader.read(), text, previous)
            before = reader
            out += previous
            topic = reader.final_topic
    metrics = document_rules(storable(out, ctx), text)
    for pattern, families in cat.topic_documents:   # a report on one kind of work: its figures are that work's
        found = pattern.search((ctx.own_names or "") + " " + text[:200])
        for m in metrics if found else ():
            if m.indicator.split(".")[0] in families and not m.breakdown:
                m.breakdown = found.group()
    for m in metrics:  # kept, but flagged: a typo or two numbers run together
        m.out_of_range = not cat.indicators[m.indicator].plausible(m.value)
    mark_places(text, metrics, ctx)   # kept, but about a listed place or body: not the area's total
    assign(metrics, text, ctx.kind, cat)
    return metrics


def storable(metrics: list[Metric], ctx: ReportContext) -> list[Metric]:
    """The figures a warehouse can hold; each other one is named in a warning and not stored
    (ingest.text.figure_problem: a value no view could read is no figure a report states)."""
    kept = []
    for m in metrics:
        problem = figure_problem(m.value)
        if problem is None:
            kept.append(m)
        else:
            ctx.warnings.append(f"figure not stored: {m.indicator} at character {m.start}: {problem}")
    return kept


def _not_read(index: MeasureIndex, start: int, end: int) -> bool:
    """Whether no figure of text[start:end] can be a result: it lies outside every measure, or in
    one plans or shortcomings measure (whose nested measures are plans or shortcomings too)."""
    first, last = index.at(start), index.at(end - 1)
    if first is None and last is None:
        return True
    return first is last and first.section_kind in _NOT_RESULTS


def _topic_before(cat, text: str, index: MeasureIndex, pos: int) -> str | None:
    """The topic at `pos` from the headings above it and its measure's text so far."""
    m = index.at(pos)
    if m is None:
        return last_topic(cat, text[max(0, pos - CONTEXT_CHARS):pos])
    chain, parent = [], m
    while parent is not None:
        chain.append(parent.heading or "")
        parent = index.by_ordinal.get(parent.parent_ordinal) if parent.parent_ordinal is not None else None
    # last_topic reads only the last CONTEXT_CHARS: a long measure is not copied for each paragraph.
    return last_topic(cat, " ".join(reversed(chain)) + " " + text[max(m.start, pos - CONTEXT_CHARS):pos])


def _caption(text: str, start: int) -> str:
    """The line above a table, when it is short enough to be its title (表1 2023年行政复议情况)."""
    before = text[:start].rstrip("\n").rsplit("\n", 1)[-1].strip()
    return before if len(before) <= _CAPTION_CHARS and "。" not in before else ""
