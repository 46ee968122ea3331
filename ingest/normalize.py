"""Character-for-character normalisation for matching.

Full-width digits, Latin letters and the number punctuation (．％，＋－) become ASCII; the
ideographic space becomes a space. Every replacement is one character for one character, so
an offset into the normalised text is the same offset into the text as read. Chinese
punctuation that is correct as full-width (，：；（）) stays as it is.
"""
from __future__ import annotations

_MAP = {0x3000: " "}
for _cp in range(0xFF10, 0xFF1A):  # ０-９
    _MAP[_cp] = chr(_cp - 0xFEE0)
for _cp in list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B)):  # Ａ-Ｚ ａ-ｚ
    _MAP[_cp] = chr(_cp - 0xFEE0)
for _ch in "．％＋－／":
    _MAP[ord(_ch)] = chr(ord(_ch) - 0xFEE0)
_MAP[0xFF0C] = "，"  # kept: it separates clauses; the number reader accepts it between digit groups
_TABLE = str.maketrans(_MAP)


def normalize(text: str) -> str:
    """Same length as `text`; safe to index with offsets found in either."""
    return text.translate(_TABLE)
