"""How likely each figure is right, from the mechanism that read it.

A figure's features run from specific to general: its mechanism with the document's kind and the
indicator's kind, the mechanism with the document's kind, the mechanism alone, everything. The
calibration (`confidence.yaml`, written by `bench/devset.py --calibrate` from the real-text dev
set) holds how many figures of each feature key were read and how many were right. A key's
estimate shrinks towards its parent's in proportion to how few figures it has seen, so a rare
mechanism is trusted about as much as its family until the dev set shows otherwise.
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

import yaml

from .metric import Metric

PRIOR_WEIGHT = 8.0       # figures' worth of trust a key borrows from its parent
_BASE = 0.8              # before any calibration: the precision measured on unseen pages


def kind_group(kind: str | None) -> str:
    if kind in ("annual_report", "other_report"):
        return "report"
    return kind or "unknown"


def features(m: Metric, kind: str | None, ind_kind: str, listing: bool) -> list[str]:
    """Feature keys of a figure, most specific first; the last is '*'."""
    mech = m.mechanism or "unknown"
    group = kind_group(kind) + ("+list" if listing else "")
    q = "+q" if m.qualifier else ""
    return [f"{mech}|{group}|{ind_kind}{q}", f"{mech}|{group}", mech, mech.split(".")[0], "*"]


@lru_cache(maxsize=1)
def _counts() -> dict[str, tuple[int, int]]:
    path = resources.files("ingest.extract") / "confidence.yaml"
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {k: (int(v[0]), int(v[1])) for k, v in (data.get("counts") or {}).items()}


def estimate(keys: Iterable[str], counts: dict[str, tuple[int, int]] | None = None) -> float:
    """Shrunk precision of the most specific key, from the general end down."""
    counts = _counts() if counts is None else counts
    p = _BASE
    for key in reversed(list(keys)):
        right, seen = counts.get(key, (0, 0))
        p = (right + PRIOR_WEIGHT * p) / (seen + PRIOR_WEIGHT)
    return p


def assign(metrics: list[Metric], kind: str | None, ind_kinds: dict[str, str], listing: bool) -> None:
    for m in metrics:
        m.confidence = round(estimate(features(m, kind, ind_kinds[m.indicator], listing)), 3)
