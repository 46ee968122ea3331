"""TF-IDF keywords of every measure from one jieba cut of the report.

Measures nest (a section holds its items), so cutting each measure's text cuts the report once
per level of nesting; jieba was two thirds of parse time. Here the text is cut once, in the
pieces between measure boundaries, and each measure counts the words of its pieces.
Words come from tokenize.cut (jieba's dictionaries, compiled rjieba when installed). The result
is exactly jieba's `extract_tags`: a boundary always stands next to a character jieba
splits on (a line break, 。, a space), so cutting there changes no word, and counts are merged
in text order, so ties keep jieba's first-seen order. Where a boundary would split a run of
characters jieba reads together, each measure's own text is cut instead.
"""
from __future__ import annotations

from collections import Counter
from itertools import chain, compress, repeat
from operator import mul, truediv
from sys import intern
from typing import TYPE_CHECKING

from .tokenize import cut

if TYPE_CHECKING:
    from .measures import Measure


def measure_keywords(measures: list[Measure], analyse, top: int) -> list[list[str]]:
    """For each measure, jieba.analyse.extract_tags(m.text, topK=top)."""
    tfidf = analyse.default_tfidf
    ranked = _streamed(measures, tfidf, top)
    if ranked is None:
        return [_top(Counter(_kept(tfidf, cut(m.text))), tfidf, top) for m in measures]
    return ranked


def _streamed(measures: list[Measure], tfidf, top: int) -> list[list[str]] | None:
    """One pass over the boundaries in text order: each piece is cut once and handed to every
    measure open there, and a measure is counted and ranked as soon as it ends (counting in C,
    over the pieces it holds). Only the pieces of the open measures are held at any time, as
    interned words: memory grows with the words of one top-level section, not with the report."""
    import jieba

    han = jieba.re_han_default
    order = sorted(range(len(measures)), key=lambda i: (measures[i].start, -measures[i].end))
    bounds = sorted({b for m in measures for b in (m.start, m.end)})
    ranked: list[list[str] | None] = [None] * len(measures)
    open_: list[tuple[Measure, int, list[list[str]]]] = []   # outermost first
    k = 0
    for n, pos in enumerate(bounds):
        while open_ and open_[-1][0].end <= pos:
            _, i, pieces = open_.pop()
            ranked[i] = _top(Counter(chain.from_iterable(pieces)), tfidf, top)
        while k < len(order) and measures[order[k]].start == pos:
            m = measures[order[k]]
            if open_ and m.end > open_[-1][0].end:
                return None   # overlapping measures: not the nesting this relies on
            if m.end <= pos:
                ranked[order[k]] = []   # an empty measure
            else:
                open_.append((m, order[k], []))
            k += 1
        if not open_ or n + 1 == len(bounds):
            continue   # the whitespace between two measures
        root = open_[0][0]
        at = pos - root.start
        if at and han.match(root.text[at - 1]) and han.match(root.text[at]):
            return None   # a boundary inside a word run: cutting here could change the words
        piece = _kept(tfidf, cut(root.text[at:bounds[n + 1] - root.start]))
        for _, _, pieces in open_:
            pieces.append(piece)
    return ranked if all(r is not None for r in ranked) else None


def _kept(tfidf, words: list[str]) -> list[str]:
    """The words extract_tags counts (no one-character words, no stop words), interned. Each
    piece is filtered once, whatever the nesting, and the loops run in C."""
    keep = _KEEPS.setdefault(id(tfidf), {})
    for w in set(words).difference(keep):
        keep[w] = len(w.strip()) >= 2 and w.lower() not in tfidf.stop_words
    return list(map(intern, compress(words, map(keep.__getitem__, words))))


_KEEPS: dict[int, dict[str, bool]] = {}


def _top(freq: Counter, tfidf, top: int) -> list[str]:
    # extract_tags' weight, count * (idf / total), computed the same way so ties fall the same
    # (first seen first: a Counter keeps first-seen order).
    total = sum(freq.values())
    idf = map(tfidf.idf_freq.get, freq, repeat(tfidf.median_idf))
    weight = dict(zip(freq, map(mul, freq.values(), map(truediv, idf, repeat(total)))))
    return sorted(weight, key=weight.__getitem__, reverse=True)[:top]
