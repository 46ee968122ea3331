"""Word list numbers as Word shows them: 一、 （一） 1. （1） ① ... regenerated from numbering.xml.

A numbered paragraph stores no number, only (numId, level); the number is rendered from the
level's lvlText (%1、, （%2）, %1.%2) with per-level counters, deeper levels reset when a higher
one advances. The numbers matter: measures are split on line starts like 一、 and （一）.

Counters follow Word: lists (w:num) sharing one abstractNum continue one sequence, and a list with
a startOverride restarts the overridden levels when it is first used ("restart numbering").
Bullets render as nothing: their glyph is a Symbol-font private-use character, no number.
"""
from __future__ import annotations

from dataclasses import dataclass, field

_CN_DIGITS = "零一二三四五六七八九"
_CN_UNITS = ("", "十", "百", "千")
_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_LEGAL_UNITS = ("", "拾", "佰", "仟")
_HEAVENLY = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
          (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def chinese(n: int, legal: bool = False) -> str:
    """Chinese counting: 一 … 十, 十一, 二十一, 一百零一, 一千零一十, 一万零一; legal (大写)
    writes every 拾 with its digit: 壹拾壹."""
    digits, units = (_LEGAL_DIGITS, _LEGAL_UNITS) if legal else (_CN_DIGITS, _CN_UNITS)
    if n < 0:
        return str(n)
    if n < 10:
        return digits[n]
    if n >= 10000:
        high, low = divmod(n, 10000)
        gap = digits[0] if 0 < low < 1000 else ""
        return chinese(high, legal) + ("万" if not legal else "萬") + gap + (_below_10000(low, digits, units, True) if low else "")
    return _below_10000(n, digits, units, legal)


def _below_10000(n: int, digits: str, units: tuple[str, ...], keep_one: bool) -> str:
    out, zero = [], False
    for power in (3, 2, 1, 0):
        d = n // 10 ** power % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append(digits[0])
            zero = False
        # 十一, not 一十一, at the head of a number; 一百一十 inside one.
        if not (power == 1 and d == 1 and not out and not keep_one):
            out.append(digits[d])
        out.append(units[power])
    return "".join(out)


def _letters(n: int, upper: bool) -> str:
    # Word repeats the letter past z: 27 -> aa, 28 -> bb.
    if n < 1:
        return str(n)
    ch = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
    return ch.upper() if upper else ch


def _roman(n: int, upper: bool) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, sym in _ROMAN:
        while n >= value:
            out.append(sym)
            n -= value
    s = "".join(out)
    return s.upper() if upper else s


def _enclosed(n: int, first: int, last: int = 20) -> str:
    if 1 <= n <= last:
        return chr(first + n - 1)
    if first == 0x2460 and 21 <= n <= 35:       # ㉑ … ㉟
        return chr(0x3251 + n - 21)
    if first == 0x2460 and 36 <= n <= 50:       # ㊱ … ㊿
        return chr(0x32B1 + n - 36)
    return str(n)


def _cyclic(n: int, chars: str) -> str:
    return chars[n - 1] if 1 <= n <= len(chars) else str(n)


def format_number(n: int, fmt: str) -> str:
    """n in a w:numFmt; an unknown format falls back to decimal, as Word does."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting",
               "taiwaneseCountingThousand", "japaneseCounting"):
        return chinese(n)
    if fmt in ("chineseLegalSimplified", "japaneseLegal"):
        return chinese(n, legal=True)
    if fmt == "ideographDigital":
        return "".join("〇一二三四五六七八九"[int(c)] for c in str(n))
    if fmt == "ideographTraditional":
        return _cyclic(n, _HEAVENLY)
    if fmt == "ideographZodiac":
        return _cyclic(n, _EARTHLY)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return _enclosed(n, 0x2460)
    if fmt == "decimalEnclosedParen":
        return _enclosed(n, 0x2474)
    if fmt == "decimalEnclosedFullstop":
        return _enclosed(n, 0x2488)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(0xFF10 + int(c)) for c in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("lowerLetter", "upperLetter"):
        return _letters(n, fmt == "upperLetter")
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n, fmt == "upperRoman")
    if fmt == "ordinal":
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str | None = None     # lvlText; None when absent: the number alone
    restart: int | None = None  # lvlRestart: restart after this (1-based) level is used; 0 never
    legal: bool = False         # isLgl: every level shown as decimal
    suffix: str = "tab"         # what separates the number from the text: tab, space, nothing
    style: str | None = None    # the paragraph style linked to this level


@dataclass
class Instance:
    abstract: str
    levels: dict[int, Level]                                   # the abstract's levels, overrides applied
    starts: dict[int, int] = field(default_factory=dict)       # startOverride per level


class Numbering:
    """Definitions from numbering.xml and the counters of one pass through the body."""

    def __init__(self, abstracts: dict[str, dict[int, Level]], nums: dict[str, Instance]):
        self.abstracts = abstracts
        self.nums = nums
        self._counters: dict[str, list[int | None]] = {}
        self._started: set[str] = set()

    def level_of_style(self, num_id: str, style: str) -> int | None:
        inst = self.nums.get(num_id)
        if inst is None:
            return None
        return next((i for i, lvl in inst.levels.items() if lvl.style == style), None)

    def render(self, num_id: str, ilvl: int) -> tuple[str, str]:
        """Advance the counters for a paragraph at (num_id, ilvl); its number and separator."""
        inst = self.nums.get(num_id)
        if inst is None or not inst.levels:
            return "", ""
        ilvl = ilvl if ilvl in inst.levels else min(inst.levels, key=lambda i: abs(i - ilvl))
        counters = self._counters.setdefault(inst.abstract, [None] * 10)
        if num_id not in self._started:
            self._started.add(num_id)
            for lvl in inst.starts:
                if 0 <= lvl < 10:
                    counters[lvl] = None
        current = counters[ilvl]
        counters[ilvl] = self._start(inst, ilvl) if current is None else current + 1
        for deeper in range(ilvl + 1, 10):
            level = inst.levels.get(deeper)
            restart = level.restart if level and level.restart is not None else deeper
            if restart and ilvl < restart:
                counters[deeper] = None
        level = inst.levels[ilvl]
        number = self._text(inst, ilvl, counters)
        if not number:
            return "", ""
        # The tab after a number is layout: a space keeps 1.1 apart from its text, but after
        # punctuation (一、 （一） 1.) the text follows as it does in the reports' plain text.
        if level.suffix == "nothing" or number[-1] in "、，,．.：:）)】]〕":
            return number, ""
        return number, " "

    def _start(self, inst: Instance, ilvl: int) -> int:
        if ilvl in inst.starts:
            return inst.starts[ilvl]
        level = inst.levels.get(ilvl)
        return level.start if level else 1

    def _text(self, inst: Instance, ilvl: int, counters: list[int | None]) -> str:
        level = inst.levels[ilvl]
        if level.fmt in ("bullet", "none"):
            return ""
        template = level.text if level.text is not None else f"%{ilvl + 1}"
        out, i = [], 0
        while i < len(template):
            ch = template[i]
            if ch == "%" and i + 1 < len(template) and template[i + 1] in "123456789":
                k = int(template[i + 1]) - 1
                value = counters[k] if counters[k] is not None else self._start(inst, k)
                other = inst.levels.get(k, Level())
                out.append(str(value) if level.legal and k != ilvl else format_number(value, other.fmt))
                i += 2
            else:
                out.append(ch)
                i += 1
        return "".join(out).strip()


def parse_numbering(root, w: str, style_nums: dict[str, str] | None = None) -> Numbering:
    """Numbering from the parsed numbering.xml (root may be None: no lists). `w` is the
    WordprocessingML namespace in braces; style_nums maps numbering styles to their numId, for
    an abstractNum that only links to a numbering style (numStyleLink)."""
    if root is None:
        return Numbering({}, {})
    abstracts = {a.get(f"{w}abstractNumId"): _levels(a, w) for a in root.iter(f"{w}abstractNum")}
    links = {a.get(f"{w}abstractNumId"): _val(a.find(f"{w}numStyleLink"), w) for a in root.iter(f"{w}abstractNum")}
    num_abstract = {n.get(f"{w}numId"): _val(n.find(f"{w}abstractNumId"), w) for n in root.iter(f"{w}num")}
    nums: dict[str, Instance] = {}
    for num in root.iter(f"{w}num"):
        abstract = _val(num.find(f"{w}abstractNumId"), w)
        link = links.get(abstract)
        if link and style_nums and not abstracts.get(abstract):
            abstract = num_abstract.get(style_nums.get(link), abstract)
        levels = dict(abstracts.get(abstract, {}))
        starts: dict[int, int] = {}
        for override in num.findall(f"{w}lvlOverride"):
            ilvl = _int(override.get(f"{w}ilvl"), 0)
            start = _int(_val(override.find(f"{w}startOverride"), w), None)
            if start is not None:
                starts[ilvl] = start
            lvl = override.find(f"{w}lvl")
            if lvl is not None:
                levels[ilvl] = _level(lvl, w)
        nums[num.get(f"{w}numId")] = Instance(abstract or "", levels, starts)
    return Numbering(abstracts, nums)


def _levels(abstract, w: str) -> dict[int, Level]:
    return {_int(lvl.get(f"{w}ilvl"), 0): _level(lvl, w) for lvl in abstract.findall(f"{w}lvl")}


def _level(lvl, w: str) -> Level:
    text = lvl.find(f"{w}lvlText")
    restart = _val(lvl.find(f"{w}lvlRestart"), w)
    legal = lvl.find(f"{w}isLgl")
    return Level(start=_int(_val(lvl.find(f"{w}start"), w), 0),   # absent: 0, as the standard says
                 fmt=_val(lvl.find(f"{w}numFmt"), w) or "decimal",
                 text=text.get(f"{w}val") if text is not None else None,
                 restart=_int(restart, None),
                 legal=legal is not None and _val(legal, w) not in ("0", "false", "off"),
                 suffix=_val(lvl.find(f"{w}suff"), w) or "tab",
                 style=_val(lvl.find(f"{w}pStyle"), w))


def _val(el, w: str) -> str | None:
    return None if el is None else el.get(f"{w}val")


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
