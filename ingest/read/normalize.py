"""Character-for-character normalisation for matching.

Full-width digits, Latin letters and the number punctuation (．％，＋－) become ASCII; the
ideographic space becomes a space. Every replacement is one character for one character, so
an offset into the normalised text is the same offset into the text as read. Chinese
punctuation that is correct as full-width (，：；（）) stays as it is.

PDF text layers (Chromium, WPS and some Word exports) and pages copied from them often carry
Kangxi radicals and CJK radicals-supplement characters in place of the ideographs they look
like (⼈ for 人, ⺠ for 民, ⽹ for 网), and CJK compatibility ideographs in place of unified
ones. They look right but match nothing, so they become the unified ideograph, one for one.
"""
from __future__ import annotations

import re
import unicodedata

_MAP = {0x3000: " "}
for _cp in range(0xFF10, 0xFF1A):  # ０-９
    _MAP[_cp] = chr(_cp - 0xFEE0)
for _cp in list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B)):  # Ａ-Ｚ ａ-ｚ
    _MAP[_cp] = chr(_cp - 0xFEE0)
for _ch in "．％＋－／":
    _MAP[ord(_ch)] = chr(ord(_ch) - 0xFEE0)
_MAP[0xFF0C] = "，"  # kept: it separates clauses; the number reader accepts it between digit groups
# Radicals supplement characters that stand for a whole character (after Unicode's
# EquivalentUnifiedIdeograph.txt); NFKC maps only two of them. Pairs: radical, ideograph.
_RADICALS = ("⺁厂⺅亻⺆冂⺇几⺊卜⺌小⺎兀⺏尣⺐尢⺒巳⺓幺⺔彑⺖忄⺘扌⺙攵⺛旡⺜日⺝月⺞歺⺟母⺠民⺡氵⺢氺⺣灬"
             "⺤爫⺦丬⺨犭⺩王⺪疋⺫罒⺬示⺭礻⺯糸⺰纟⺲罒⺹耂⺺肀⺼月⺽臼⺾艹⺿艹⻀艹⻁虎⻂衤⻃覀⻄西⻅见⻆角"
             "⻈讠⻉贝⻋车⻌辶⻍辶⻎辶⻏阝⻐钅⻑長⻒镸⻓长⻔门⻖阝⻘青⻙韦⻚页⻛风⻜飞⻝食⻟飠⻠饣⻡首⻢马⻣骨"
             "⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄⻪黾⻫斉⻬齐⻭歯⻮齿⻯竜⻰龙⻱龜⻲亀⻳龟")
for _radical, _ideograph in zip(_RADICALS[::2], _RADICALS[1::2], strict=True):
    _MAP[ord(_radical)] = _ideograph
# Kangxi radicals and compatibility ideographs: their NFKC form is the one unified ideograph.
for _lo, _hi in ((0x2F00, 0x2FD5), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)):
    for _cp in range(_lo, _hi + 1):
        _nfkc = unicodedata.normalize("NFKC", chr(_cp))
        if _nfkc != chr(_cp) and len(_nfkc) == 1:
            _MAP[_cp] = _nfkc
_TABLE = str.maketrans(_MAP)
# str.translate looks every character of Chinese text up in a dict; most texts need nothing, and
# a scan for the characters that change runs at C speed.
def _ranges(codepoints: list[int]) -> str:
    out, start, prev = [], None, None
    for cp in codepoints + [None]:
        if start is not None and (cp is None or cp != prev + 1):
            out.append(re.escape(chr(start)) + (f"-{re.escape(chr(prev))}" if prev > start else ""))
            start = None
        if cp is not None and start is None:
            start = cp
        prev = cp
    return "".join(out)


_CHANGES = re.compile("[" + _ranges(sorted(cp for cp, to in _MAP.items() if chr(cp) != to)) + "]")


def normalize(text: str) -> str:
    """Same length as `text`; safe to index with offsets found in either."""
    return text.translate(_TABLE) if _CHANGES.search(text) else text
