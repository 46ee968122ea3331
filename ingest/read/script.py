"""Pages in traditional characters, read in simplified ones, one character for one.

Many government sites serve every page again in 繁體 at its own URL, and mirror sites copy those;
the catalogue's phrasings (行政复议, 纠错率, 出庭应诉率) are written in simplified characters and
match nothing in 行政復議. So a page written in traditional characters is converted at read
time, like the Kangxi-radical repair in `normalize`: every replacement is one character for
one, so an offset into the converted text is the same offset into the text as read.

The table is OpenCC's (the `opencc` package, Apache-2.0, its licence in
`ingest/read/LICENSE.OpenCC`): maintained by the OpenCC project and released on PyPI with
wheels for every platform, it ships the standard tables in its wheel (no download at run time)
and converts in C++ (a megabyte in about 30 ms). Its `t2s` configuration tries the phrase table
(TSPhrases: 乾坤 keeps 乾, 乾燥 becomes 干燥) before the character table, whose first candidate
it takes for a character alone. Every phrase and character entry of the shipped tables maps to
the same length; a line whose conversion would not (a future table) is left as it was.

A page is converted only when its traditional-only characters outnumber its simplified-only ones:
a simplified report quoting a Taiwanese title, or a surname 於, stays as it is.
"""
from __future__ import annotations

import opencc

_T2S = opencc.OpenCC("t2s")
_S2T = opencc.OpenCC("s2t")


def to_simplified(text: str) -> tuple[str, int]:
    """The text in simplified characters, same length, and how many characters changed (0 when
    the page is not written in traditional characters)."""
    converted = _convert(_T2S, text)
    if converted is text:
        return text, 0
    changed = _differ(text, converted)
    if changed <= _differ(text, _convert(_S2T, text)):
        return text, 0
    return converted, changed


def _convert(converter, text: str) -> str:
    out = converter.convert(text)
    if out == text:
        return text
    if len(out) == len(text):
        return out
    lines = [(line, converter.convert(line)) for line in text.splitlines(keepends=True)]
    return "".join(new if len(new) == len(old) else old for old, new in lines)


def _differ(a: str, b: str) -> int:
    return sum(x != y for x, y in zip(a, b))
