"""One normaliser for every figure in a report.

`parse_numeral` turns a numeral (Arabic with separators, full-width, Chinese, mixed with 万/亿)
into a Decimal. `find_numbers` scans text for number mentions with their qualifier (余/约/近/
以上/超/不足), multiplier, unit and kind (plain, percent, percentage points), keeping offsets.
Pure functions; offsets index the text they are given.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
          "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9,
          "幺": 1}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": Decimal(10) ** 4, "萬": Decimal(10) ** 4, "亿": Decimal(10) ** 8, "億": Decimal(10) ** 8}
CN_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "万萬亿億"

# Qualifiers as the text states them -> the canonical form of the output contract.
PREFIX_QUALIFIERS = {"大约": "约", "约": "约", "将近": "近", "接近": "近", "近": "近", "超过": "超", "超": "超",
                     "逾": "超", "突破": "超", "不足": "不足", "不到": "不足"}
SUFFIX_QUALIFIERS = {"余": "余", "多": "余", "以上": "以上", "左右": "约", "以下": "不足"}

# Measure words, longest first so that 人次 wins over 人 and 场次 over 场.
UNITS = sorted(["元", "件", "件次", "起", "宗", "例", "人次", "名", "人", "位", "场次", "场", "次", "个",
                "项", "本", "卷", "份", "条", "家", "户", "所", "篇", "期", "批", "套", "张", "册", "天", "小时", "家次", "台", "辆", "处", "支", "平方米", "米", "公里", "亩", "年",
                "月", "日", "号", "岁", "届"], key=len, reverse=True)

# Thousands are grouped with commas, or (in older yearbooks) with a space before a measure word:
# 29 757件.
_ARABIC = (r"\d{1,3}(?:[,，]\d{3})+(?![\d])(?:\.\d+)?"
           r"|(?<![\d.])\d{1,3}(?:[ \u00a0\u2009]\d{3})+(?=\s?(?:件|起|宗|人次|人|名|场次|场|次|元|万|亿|个|份|卷))"
           # A scanned yearbook's raised decimal point, its digits spaced: 99·5 9% (a share only).
           r"|(?<![\d.·])\d{1,3}·\d(?:\s?\d){0,2}(?=\s?[%％])"
           r"|\d+(?:\.\d+)?")
_CN_RUN = f"[{CN_CHARS}点]+"
_NUM_RE = re.compile(
    rf"(?P<neg>负|-)?(?:(?P<pct>百分之|千分之|万分之)\s?)?"
    rf"(?P<num>(?:{_ARABIC})|[{CN_CHARS}][{CN_CHARS}点]*)"
)


def _section(s: str) -> int | None:
    """A Chinese integer below 10000 (十/百/千 units). None when not well-formed."""
    if not s:
        return 0
    total, digit, last_unit, saw_zero = 0, None, 10_000, False
    for i, ch in enumerate(s):
        if ch in DIGITS:
            if digit is not None:
                return None  # two digits in a row: not a numeral we read
            digit = DIGITS[ch]
            if digit == 0:
                saw_zero, digit = True, None
        elif ch in SMALL_UNITS:
            unit = SMALL_UNITS[ch]
            if unit >= last_unit:
                return None
            if digit is None:
                if unit == 10 or i == 0:
                    digit = 1  # 十二, 一万零十二, 百分之百
                else:
                    return None
            total += digit * unit
            last_unit, digit, saw_zero = unit, None, False
        else:
            return None
    if digit is not None:
        if last_unit <= 10 or saw_zero or last_unit == 10_000:
            total += digit
        else:
            return None  # 一百五: a spoken elision, not read
    return total


def _cn_integer(s: str) -> Decimal | None:
    for big in ("亿", "億", "万", "萬"):
        idx = s.rfind(big)
        if idx >= 0:
            left = _cn_integer(s[:idx]) if s[:idx] else Decimal(1)
            rest = s[idx + 1:]
            right = _cn_integer(rest.lstrip("零〇")) if rest else Decimal(0)
            if left is None or right is None or (rest and right >= BIG_UNITS[big] and big in "万萬"):
                return None
            return left * BIG_UNITS[big] + right
    sec = _section(s)
    return None if sec is None else Decimal(sec)


def _cn_number(s: str) -> Decimal | None:
    """Chinese numeral with optional 点 decimals and a trailing 万/亿 multiplier."""
    if "点" in s:
        head, _, tail = s.partition("点")
        mult = Decimal(1)
        while tail and tail[-1] in BIG_UNITS:
            mult *= BIG_UNITS[tail[-1]]
            tail = tail[:-1]
        if not tail or any(c not in DIGITS for c in tail):
            return None
        whole = _cn_integer(head) if head else Decimal(0)
        if whole is None:
            return None
        return (whole + Decimal("0." + "".join(str(DIGITS[c]) for c in tail))) * mult
    return _cn_integer(s)


def _arabic(s: str) -> Decimal | None:
    try:
        return Decimal(re.sub(r"[,，\s\u00a0\u2009]", "", s).replace("·", "."))
    except InvalidOperation:
        return None


def parse_numeral(s: str) -> Decimal | None:
    """Value of a whole numeral string, or None. '1.2万' -> 12000, '一百零五' -> 105."""
    s = s.strip()
    neg = s.startswith(("负", "-"))
    if neg:
        s = s[1:]
    m = re.fullmatch(rf"({_ARABIC})((?:万|亿)*)", s)
    if m:
        value = _arabic(m.group(1))
        for big in m.group(2):
            value *= BIG_UNITS[big]
    else:
        value = _cn_number(s) if s and all(c in CN_CHARS + "点" for c in s) else None
    if value is None:
        return None
    return -value if neg else value


@dataclass(frozen=True)
class NumberMention:
    start: int          # first character of the number (after any prefix qualifier)
    end: int            # end of the unit, or of the number when there is none
    value: Decimal      # multiplier applied; percent as the percent number
    unit: str | None    # measure word as written (件, 人次, 万元 -> 元, % ...)
    qualifier: str | None
    kind: str           # 'number', 'percent' or 'points'
    qualifier_start: int  # where a prefix qualifier starts (== start when none)

    @property
    def text_span(self) -> tuple[int, int]:
        return self.qualifier_start, self.end


def _longest_valid_cn(run: str) -> tuple[str, Decimal] | None:
    """Longest prefix of a Chinese run that is a numeral (二十五千克 -> 二十五)."""
    for stop in range(len(run), 0, -1):
        head = run[:stop].rstrip("点")
        if not head:
            continue
        value = _cn_number(head)
        if value is not None:
            return head, value
    return None


# A qualifier word ending where the number starts; the earliest start is the longest word.
_PREFIX_RE = re.compile("(?:" + "|".join(sorted(PREFIX_QUALIFIERS, key=len, reverse=True)) + r")\Z")
_LONGEST_PREFIX = max(map(len, PREFIX_QUALIFIERS))
_MULTIPLIER = re.compile(r"万亿|亿|万")
_TENTHS = re.compile(r"成(?![员立功果效本交绩为都熟型分就])")
_UNIT_RE = re.compile("|".join(map(re.escape, UNITS)))   # UNITS is longest first: the same choice


def _prefix_qualifier(text: str, start: int) -> tuple[str | None, int]:
    m = _PREFIX_RE.search(text, max(0, start - _LONGEST_PREFIX), start)
    return (PREFIX_QUALIFIERS[m.group()], m.start()) if m else (None, start)


def _suffix_qualifier(text: str, pos: int) -> tuple[str | None, int]:
    for word in ("以上", "左右", "以下", "余", "多"):
        if text.startswith(word, pos):
            # 多 is a qualifier only before a multiplier or a measure word (500多亿, 五百多个).
            if word == "多" and not _unit_at(text, pos + 1) and text[pos + 1:pos + 2] not in ("万", "亿"):
                return None, pos
            return SUFFIX_QUALIFIERS[word], pos + len(word)
    return None, pos


def _unit_at(text: str, pos: int) -> str | None:
    m = _UNIT_RE.match(text, pos)
    return m.group() if m else None


def _number_at(text: str, m: re.Match) -> tuple[Decimal, int] | None:
    raw = m.group("num")
    start = m.start("num")
    if raw[0].isdigit():
        value = _arabic(raw)
        return (value, start + len(raw)) if value is not None else None
    found = _longest_valid_cn(raw)
    if found is None:
        return None
    # The longest well-formed prefix: 二十五千克 reads 二十五 (二十五千 is no numeral, so 千 is
    # the unit's prefix), while 两千米 reads 两千.
    head, value = found
    return value, start + len(head)


def find_numbers(text: str) -> list[NumberMention]:
    """Every number mention in `text`, left to right, non-overlapping."""
    out: list[NumberMention] = []
    pos = 0
    while True:
        m = _NUM_RE.search(text, pos)
        if not m:
            return out
        mention = _mention(text, m)
        if mention is None:
            pos = m.end() if m.end() > m.start() else m.start() + 1
            continue
        out.append(mention)
        pos = mention.end


_FILE_SUFFIX = re.compile(r"\.(?:png|jpe?g|gif|bmp|webp|pdf|docx?|xlsx?|wps|ofd)\b", re.I)
# 一 after a determiner or inside a word is not a quantity: 这一批, 第一, 统一, 唯一.
_NOT_QUANTITY_BEFORE_YI = set("这那每某哪同统唯之第逐万专")


# Words that start with 一 but state no count: 一批 (a batch of), 一些, 一定, 一站式 ...
_YI_WORDS = ("一批", "一些", "一切", "一定", "一律", "一直", "一起", "一同", "一般", "一样", "一致", "一旦",
             "一贯", "一体", "一系列", "一线", "一把手", "一站式", "一窗", "一网", "一件事", "一流")


def _mention(text: str, m: re.Match) -> NumberMention | None:
    if m.group("num") == "一" and (
            (m.start() > 0 and text[m.start() - 1] in _NOT_QUANTITY_BEFORE_YI)
            or text.startswith(_YI_WORDS, m.start())):
        return None
    got = _number_at(text, m)
    if got is None:
        return None
    value, pos = got
    if _FILE_SUFFIX.match(text, pos):   # 宣传月活动走深走实1.png: a picture's file name on a saved page
        return None
    raw_is_cn = not m.group("num")[0].isdigit()
    start = m.start()
    if m.group("neg"):
        value = -value
    qualifier, qstart = _prefix_qualifier(text, start)
    pct = m.group("pct")
    if pct:
        scale = {"百分之": 1, "千分之": Decimal("0.1"), "万分之": Decimal("0.01")}[pct]
        suf, end = _suffix_qualifier(text, pos)
        return NumberMention(start, end, value * scale, "%", qualifier or suf, "percent", qstart)
    suffix, pos = _suffix_qualifier(text, pos)
    # Arabic numbers take 万/亿 (and 万亿) multipliers; Chinese numerals already consumed theirs.
    # (A Chinese run has consumed its own 万/亿 unless a qualifier split it: 二百三十余万.)
    mult_m = _MULTIPLIER.match(text, pos)
    if mult_m and (not raw_is_cn or suffix):
        for big in mult_m.group():
            value *= BIG_UNITS[big]
        pos += len(mult_m.group())
        if suffix is None:
            suffix, pos = _suffix_qualifier(text, pos)
    rest = text[pos:pos + 5]
    if rest.startswith(("%", "％")):
        end = pos + 1
        suf2, end = _suffix_qualifier(text, end)
        return NumberMention(start, end, value, "%", qualifier or suffix or suf2, "percent", qstart)
    if rest.startswith("个百分点") or rest.startswith("百分点"):
        end = pos + (4 if rest.startswith("个") else 3)
        return NumberMention(start, end, value, "个百分点", qualifier or suffix, "points", qstart)
    if _TENTHS.match(rest):
        return NumberMention(start, pos + 1, value * 10, "%", qualifier or suffix, "percent", qstart)
    space = 1 if rest.startswith(" ") and _unit_at(text, pos + 1) else 0
    unit = _unit_at(text, pos + space)
    end = pos + space + len(unit) if unit else pos
    suf2, end = _suffix_qualifier(text, end) if unit else (None, end)
    return NumberMention(start, end, value, unit, qualifier or suffix or suf2, "number", qstart)


def format_number(value: Decimal) -> str:
    """Canonical text of a value: integers without a point, decimals without trailing zeros."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


# The bounds of a stored figure. The marts read values as float64 (double precision), which cannot
# hold a 309-digit number (the cast fails and takes every query with it); below 10^15 every whole
# number is exact there (2^53 is about 9 x 10^15), four orders above the largest sum a report
# states (元 figures of 万亿). Six decimal places hold any rate or share (万分之1.25 is 0.0125%).
MAX_FIGURE = Decimal(10) ** 15
MAX_DECIMALS = 6


def figure_problem(value: Decimal) -> str | None:
    """Why `value` cannot be a stored figure, or None when it can: the one rule extraction and
    corrections apply, so no stored value can break the marts."""
    if not isinstance(value, Decimal) or not value.is_finite():
        return f"{value} is not a finite number"
    if value < 0:   # counts, rates and amounts (core.metric checks value >= 0)
        return f"{short_number(value)} is negative"
    if value.copy_abs() >= MAX_FIGURE:   # copy_abs: no context, so no Overflow on 1E+9999999
        return f"{short_number(value)} is not below 10^15, the largest figure fazhi stores"
    if _decimals(value) > MAX_DECIMALS:
        return f"{short_number(value)} has more than {MAX_DECIMALS} decimal places"
    return None


def _decimals(value: Decimal) -> int:
    """Decimal places without trailing zeros (1.50 has 1), computed without rounding."""
    t = value.as_tuple()
    digits = "".join(map(str, t.digits))
    kept = digits.rstrip("0")
    return 0 if not kept else max(0, -(t.exponent + len(digits) - len(kept)))


def short_number(value: Decimal) -> str:
    """A number for a message: whole when short, else its head and how many digits it has.
    Never written out in full: 1E+999999999 would be a billion characters."""
    sign, digits, exp = value.as_tuple()
    s = "".join(map(str, digits))
    whole, places = max(len(s) + exp, 1), max(-exp, 0)
    if whole + places <= 24:
        return format(value, "f")
    if exp >= 0:
        head = s + "0" * min(exp, 12)
    elif len(s) > -exp:
        head = s[:exp] + "." + s[exp:]
    else:
        head = "0." + "0" * min(-exp - len(s), 12) + s
    return f"{'-' * sign}{head[:12]}… ({whole + places} digits)"


def to_json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
