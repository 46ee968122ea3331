"""TF-IDF keywords of every measure from one jieba cut of the report.

Measures nest (a section holds its items), so cutting each measure's text cuts the report once
per level of nesting; jieba was two thirds of parse time. Here the text is cut once, in the
pieces between measure boundaries, and each measure adds up the word counts of its pieces.
The result is exactly jieba's `extract_tags`: a boundary always stands next to a character jieba
splits on (a line break, 。, a space), so cutting there changes no word, and counts are merged
in text order, so ties keep jieba's first-seen order. Where a boundary would split a run of
characters jieba reads together, the measures fall back to jieba itself.
"""
from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .measures import Measure


def measure_keywords(measures: list[Measure], analyse, top: int) -> list[list[str]]:
    """For each measure, jieba.analyse.extract_tags(m.text, topK=top)."""
    counts = _counts(measures, analyse.default_tfidf)
    if counts is None:
        return [analyse.extract_tags(m.text, topK=top) for m in measures]
    return [_top(c, analyse.default_tfidf, top) for c in counts]


def _counts(measures: list[Measure], tfidf) -> list[dict[str, float]] | None:
    import jieba

    by_start = sorted(measures, key=lambda m: (m.start, -m.end))
    # The outermost measures: each covers a stretch of text that holds all measures inside it.
    roots: list[Measure] = []
    for m in by_start:
        if not roots or m.start >= roots[-1].end:
            roots.append(m)
        elif m.end > roots[-1].end:
            return None   # overlapping measures: not the nesting this relies on
    bounds = sorted({b for m in measures for b in (m.start, m.end)})
    pieces: list[dict[str, float]] = []   # word counts of text[bounds[i]:bounds[i + 1]]
    han = jieba.re_han_default
    r = 0
    for a, b in zip(bounds, bounds[1:]):
        while r < len(roots) and roots[r].end <= a:
            r += 1
        root = roots[r] if r < len(roots) and roots[r].start <= a else None
        if root is None:
            pieces.append({})   # the whitespace between two measures
            continue
        if a > root.start:
            before, after = root.text[a - root.start - 1], root.text[a - root.start]
            if han.match(before) and han.match(after):
                return None
        pieces.append(_count(tfidf, root.text[a - root.start:b - root.start]))
    out = []
    for m in measures:
        merged: dict[str, float] = {}
        for piece in pieces[bisect_left(bounds, m.start):bisect_left(bounds, m.end)]:
            for w, n in piece.items():
                merged[w] = merged.get(w, 0.0) + n
        out.append(merged)
    return out


def _count(tfidf, text: str) -> dict[str, float]:
    # As extract_tags counts: no one-character words, no stop words.
    freq: dict[str, float] = {}
    for w in tfidf.tokenizer.cut(text):
        if len(w.strip()) < 2 or w.lower() in tfidf.stop_words:
            continue
        freq[w] = freq.get(w, 0.0) + 1.0
    return freq


def _top(freq: dict[str, float], tfidf, top: int) -> list[str]:
    total = sum(freq.values())
    weight = {k: v * (tfidf.idf_freq.get(k, tfidf.median_idf) / total) for k, v in freq.items()}
    return sorted(weight, key=weight.__getitem__, reverse=True)[:top]
