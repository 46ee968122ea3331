"""What makes two files one report: the text they carry, not their bytes.

The same report saved in two encodings, or published as a page and as a PDF, differs in bytes,
line breaks, punctuation width and the site's chrome around it, never in its words and figures.
`text_key` hashes what is left of the normalised text once spacing and punctuation are gone;
`same_report` compares two texts that differ a little more (a page's breadcrumb and footer, a
PDF's lost line breaks) by their overlapping runs of characters.

Comparing a new report with every report of its title, place and year is quadratic where many
share them (versions of one report, a national corpus of department reports under one generic
title and no place). `near_keys` finds the few worth comparing: a MinHash of the same runs, in
LSH bands, each band hashed with what an alternate file must share exactly (title, year, place,
figures). Stored (core.report_near_key) and indexed, they make the look-up a handful of rows.
"""
from __future__ import annotations

import hashlib
import re

import numpy as np

_NOT_WORD = re.compile(r"[\W_]+")
_SHINGLE = 12          # characters per run: long enough that two reports of one template differ
SAME_REPORT = 0.9      # share of the larger text's runs found in the other
# same_report (>= 0.9 of the larger text's runs, lengths within 0.8) implies a Jaccard of the run
# sets >= 0.9 / 1.1 = 0.818: two such texts share one of 24 bands of 4 bins with probability
# 1 - (1 - 0.818**4)**24 > 1 - 1e-6 (a page and its PDF, near 1.0, all but surely); two texts
# of one template with other facts (Jaccard 0.3) one time in 5, and then are compared in full.
BANDS, ROWS = 24, 4
_BINS = BANDS * ROWS
_CHUNK = 1 << 20       # runs hashed at a time: a 20 MB text in bounded memory
_U32 = np.uint64(0xFFFFFFFF)


def skeleton(text: str) -> str:
    """Letters, digits and ideographs only, lower-cased."""
    return _NOT_WORD.sub("", text).lower()


def text_key(text: str) -> str:
    return skeleton_key(skeleton(text))


def skeleton_key(skel: str) -> str:
    return hashlib.sha256(skel.encode("utf-8")).hexdigest()


def _runs(skel: str) -> set[int]:
    step = max(1, len(skel) // 20000)   # a sample of runs keeps a 20 MB text cheap to compare
    return {hash(skel[i:i + _SHINGLE]) for i in range(0, max(1, len(skel) - _SHINGLE + 1), step)}


def similarity(a: str, b: str) -> float:
    """Shared runs over the runs of the larger text: 1.0 for the same words, near 0 for two
    reports of the same template with different facts and places. A short text quoting a long
    one scores low, so a news item is never taken for the report it quotes."""
    sa, sb = skeleton(a), skeleton(b)
    if not sa or not sb:
        return 0.0
    if len(sa) > len(sb):
        sa, sb = sb, sa
    if len(sa) < 0.8 * len(sb):
        return 0.0
    ra, rb = {hash(sa[i:i + _SHINGLE]) for i in range(max(1, len(sa) - _SHINGLE + 1))}, _runs(sb)
    return len(ra & rb) / len(rb)


def same_report(a: str, b: str) -> bool:
    return similarity(a, b) >= SAME_REPORT


def near_keys(skel: str, context: tuple) -> list[int]:
    """One signed 64-bit key per LSH band of the skeleton's run set, bound to `context` (title,
    year, place, figures): reports sharing a key are the candidates for `same_report`. Stable
    across processes and machines (no `hash()`): the keys are stored."""
    if not skel:
        return []
    sig = _signature(skel).astype("<u4")
    scope = hashlib.blake2b(repr(context).encode("utf-8"), digest_size=16).digest()
    return [int.from_bytes(hashlib.blake2b(scope + bytes([band]) + sig[band * ROWS:(band + 1) * ROWS].tobytes(),
                                           digest_size=8).digest(), "little", signed=True)
            for band in range(BANDS)]


def _signature(skel: str) -> np.ndarray:
    """One-permutation MinHash: each run's hash picks one of _BINS bins; a bin keeps its least
    value. Runs are hashed as polynomials of their code points, then mixed (splitmix64)."""
    codes = np.frombuffer(skel.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    width = min(_SHINGLE, len(codes))   # a text shorter than a run is one run, as in similarity
    runs = len(codes) - width + 1
    sig = np.full(_BINS, _U32, dtype=np.uint64)
    for start in range(0, runs, _CHUNK):
        stop = min(runs, start + _CHUNK)
        h = np.zeros(stop - start, dtype=np.uint64)
        for j in range(width):
            h = h * np.uint64(1_000_003) + codes[start + j:stop + j]
        h = _mix(h)
        np.minimum.at(sig, ((h >> np.uint64(32)) * np.uint64(_BINS)) >> np.uint64(32), h & _U32)
    return sig


def _mix(z: np.ndarray) -> np.ndarray:
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))
