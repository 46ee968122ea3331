"""How likely each figure is right: a logistic model over what read it and what surrounds it.

Features are the mechanism that read the figure (a phrase before it, after it, a bare verb under
its topic, a phrase carried from an earlier clause, a table cell, a statement of absence, and the
phrase's weight), the document's kind, the indicator's kind, and risk cues in the figure's
sentence (indicators.yaml `cues`: part-year words, lists of places, a court's statistics, mixed
totals, breakdown words; plus the catalogue's subsets and other-period words, a qualifier, a
sentence dense with figures). The weights (`confidence.yaml`) are fitted on the real-text dev set
by `bench/devset.py --calibrate`; its out-of-fold table shows that a figure given 0.9 is right
about nine times in ten. Without a fitted model every figure gets the base rate.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from importlib import resources

import yaml

from .catalogue import Catalogue
from .metric import Metric

BASE_RATE = 0.8          # precision measured on unseen real pages before the dev set existed
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_PLACE = re.compile(r"[\u4e00-\u9fff]{2,4}?(?:市|县|区|州|盟|旗)(?![\u4e00-\u9fff]{0,1}(?:委|政府|长))")
_WINDOW = 200


def kind_group(kind: str | None) -> str:
    if kind in ("annual_report", "other_report"):
        return "report"
    return kind or "unknown"


def sentence_around(text: str, start: int, end: int) -> str:
    lo = max(0, start - _WINDOW)
    last = max(text.rfind(ch, lo, start) for ch in "。！？!?\n")
    lo = last + 1 if last >= 0 else lo
    m = _SENTENCE_END.search(text, end, min(len(text), end + _WINDOW))
    return text[lo:m.start() if m else min(len(text), end + _WINDOW)]


def _sentence_cues(cat: Catalogue, sentence: str) -> list[str]:
    """The cues of a sentence, the same for every figure in it."""
    out = [f"cue:{name}" for name, pattern in cat.cues.items() if pattern.search(sentence)]
    if cat.subsets.search(sentence):
        out.append("cue:subset_word")
    if cat.periods["cumulative"].search(sentence) or cat.periods["prior"].search(sentence):
        out.append("cue:other_period_word")
    if len(_NUMBER.findall(sentence)) >= 5:
        out.append("cue:dense")
    if len(set(_PLACE.findall(sentence))) >= 2:
        out.append("cue:places")
    return out


def features(m: Metric, kind: str | None, cat: Catalogue, text: str, cache: dict | None = None) -> list[str]:
    """The names of the features a figure has (each counts 1). `cache`: sentence cues already read."""
    ind = cat.indicators[m.indicator]
    mech = m.mechanism or "unknown"
    out = [f"mech:{mech}", f"how:{mech.split('.')[0]}", f"doc:{kind_group(kind)}", f"ind:{ind.kind}",
           f"family:{ind.family}"]
    if m.qualifier:
        out.append("qualifier")
    if m.scope == "government_as_party":
        out.append("party")
    if m.out_of_range:
        out.append("out_of_range")
    sentence = sentence_around(text, m.start, m.end)
    lead = sentence[:max(0, sentence.find(m.evidence))] if m.evidence in sentence else sentence
    if cat.area_words.search(lead[-40:]) or cat.area_words.search(m.evidence):
        out.append("cue:area_subject")   # 全省共…, 全市各级…: the area as a whole is the subject
    if "其中" in lead:
        out.append("cue:after_qizhong")
    cache = {} if cache is None else cache
    if sentence not in cache:
        cache[sentence] = _sentence_cues(cat, sentence)
    out += cache[sentence]
    if len(m.evidence) > 20:
        out.append("long_evidence")
    return out


@lru_cache(maxsize=1)
def model() -> tuple[float, dict[str, float]]:
    path = resources.files("ingest.extract") / "confidence.yaml"
    if not path.is_file():
        return math.log(BASE_RATE / (1 - BASE_RATE)), {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return float(data.get("bias", 0.0)), {k: float(v) for k, v in (data.get("weights") or {}).items()}


def score(names: list[str], fitted: tuple[float, dict[str, float]] | None = None) -> float:
    bias, weights = fitted or model()
    z = bias + sum(weights.get(n, 0.0) for n in names)
    return 1 / (1 + math.exp(-z))


def assign(metrics: list[Metric], text: str, kind: str | None, cat: Catalogue) -> None:
    cache: dict = {}
    for m in metrics:
        m.confidence = round(score(features(m, kind, cat, text, cache)), 3)
