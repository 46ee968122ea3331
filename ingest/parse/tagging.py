"""Tag each measure with its topics (data/topics.yaml) and its TF-IDF keywords.

Keywords come from one jieba cut of the report. Measures nest (a section holds its items), so
cutting each measure's text cuts the report once per level of nesting; jieba was two thirds of
parse time. Here the text is cut once, in the pieces between measure boundaries, and each
measure counts the words of its pieces. Words come from tokenize.cut (jieba's dictionaries,
compiled rjieba when installed). The result is exactly jieba's `extract_tags`: a boundary always
stands next to a character jieba splits on (a line break, 。, a space), so cutting there changes
no word, and counts are merged in text order, so ties keep jieba's first-seen order. Where a
boundary would split a run of characters jieba reads together, each measure's own text is cut
instead.
"""
from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from functools import lru_cache
from importlib import resources
from itertools import chain, compress, repeat
from operator import mul, truediv
from sys import intern

import yaml

from .measures import Measure
from .tokenize import cut, warm


_STOP = {"工作", "开展", "推进", "进一步", "加强", "全面", "深入", "持续", "组织", "情况", "我们", "推动", "落实",
         "坚持", "提升", "建设", "不断", "积极", "全区", "全县", "全年", "完善", "一是", "二是", "三是", "四是"}


def tag(measures: list[Measure], keywords: int = 8) -> None:
    """Set each measure's topics (a shortcomings or plans section is tagged as such) and its
    `keywords` highest TF-IDF words, stop words and numbers left out."""
    ranked = measure_keywords(measures, keyword_tables(), keywords + len(_STOP))
    for m, tags, topics in zip(measures, ranked, _topics(measures)):
        if m.section_kind == "problems":
            topics.append("存在问题")
        elif m.section_kind == "plans":
            topics.append("下一步工作")
        m.topics = topics
        m.keywords = [t for t in tags if t not in _STOP and not t.isdigit()][:keywords]


@lru_cache(maxsize=1)
def topic_words() -> dict[str, list[str]]:
    raw = resources.files("ingest.parse").joinpath("data/topics.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(raw)


@lru_cache(maxsize=1)
def keyword_tables():
    """jieba's TF-IDF tables (IDF, stop words) and the tokeniser, loaded once."""
    import jieba.analyse

    warm()
    return jieba.analyse


def _topics(measures: list[Measure]) -> list[list[str]]:
    """Each measure's topics (topics.yaml: a topic is named when one of its words occurs in the
    measure). Measures nest, so the words are found once in each top-level measure and every
    measure looks up the occurrences inside its own span, instead of searching its own text."""
    words = topic_words()
    found: dict[str, list[tuple[int, int]]] = {t: [] for t in words}
    for root in (m for m in measures if m.parent_ordinal is None):
        for topic, ws in words.items():
            for w in ws:
                i = root.text.find(w)
                while i >= 0:
                    found[topic].append((root.start + i, root.start + i + len(w)))
                    i = root.text.find(w, i + 1)
    for spans in found.values():
        spans.sort()
    starts = {t: [a for a, _ in spans] for t, spans in found.items()}
    return [[t for t in words if _within(found[t], starts[t], m.start, m.end)] for m in measures]


def _within(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    for j in range(bisect_left(starts, start), len(spans)):
        a, b = spans[j]
        if a >= end:
            return False
        if b <= end:
            return True
    return False


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
