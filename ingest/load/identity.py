"""What makes two files one report: the text they carry, not their bytes.

The same report saved in two encodings, or published as a page and as a PDF, differs in bytes,
line breaks, punctuation width and the site's chrome around it, never in its words and figures.
`text_key` hashes what is left of the normalised text once spacing and punctuation are gone;
`same_report` compares two texts that differ a little more (a page's breadcrumb and footer, a
PDF's lost line breaks) by their overlapping runs of characters.
"""
from __future__ import annotations

import hashlib
import re

_NOT_WORD = re.compile(r"[\W_]+")
_SHINGLE = 12          # characters per run: long enough that two reports of one template differ
SAME_REPORT = 0.9      # share of the larger text's runs found in the other


def skeleton(text: str) -> str:
    """Letters, digits and ideographs only, lower-cased."""
    return _NOT_WORD.sub("", text).lower()


def text_key(text: str) -> str:
    return hashlib.sha256(skeleton(text).encode("utf-8")).hexdigest()


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
