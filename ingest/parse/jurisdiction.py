"""Resolve the area a report covers to GB/T 2260 codes, with their history.

The spine is `data/areacodes.csv` (every division code since 1981, CC0). A name is resolved
with the code valid in the report year; renames and recodings that are one-to-one (蓟县 ->
蓟州区, 武隆县 -> 武隆区) share a lineage id, the latest code of the chain. A name that stays
ambiguous after using the page's context resolves to no code, with its candidates. Townships
and streets get their nine-digit code from `data/townships.csv` (see townships.py).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ingest.text.trie import WordScan

from . import townships
from .tokenize import cut

LEVELS = {"省级": "province", "地级": "city", "县级": "county"}
_RANK = {"county": 3, "city": 2, "province": 1}
_NOT_A_CITY = ("直辖", "省直辖县级行政区划", "自治区直辖县级行政区划", "")
_ETHNIC = re.compile(r"^(.{2,}?)(?:[\u4e00-\u9fff]{1,4}族)+自治(县|旗|州)$")


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str
    province: str
    city: str
    valid_from: int
    valid_to: int | None
    status: str
    successors: tuple[str, ...]

    @property
    def full_name(self) -> str:
        if self.level == "province":
            return self.name
        city = "" if self.level == "city" or self.city in _NOT_A_CITY or self.city == self.province else self.city
        return f"{self.province}{city}{self.name}"

    def valid_in(self, year: int | None) -> bool:
        if year is None:
            return self.valid_to is None
        return self.valid_from <= year and (self.valid_to is None or year <= self.valid_to)


@dataclass
class Resolution:
    name: str | None = None          # full name, e.g. 重庆市武隆区 or 重庆市渝北区两路街道
    code: str | None = None          # six digits; nine for a township; None when unknown or ambiguous
    level: str | None = None
    division: Division | None = None  # the county/city/province row (the parent, for a township)
    township: str | None = None
    candidates: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"name": self.name, "code": self.code, "level": self.level}


@lru_cache(maxsize=1)
def divisions() -> tuple[Division, ...]:
    text = resources.files("ingest.parse").joinpath("data/areacodes.csv").read_text(encoding="utf-8-sig")
    rows = []
    for r in csv.DictReader(text.splitlines()):
        succ = tuple(c for c in r["新代码"].split(";") if c)
        rows.append(Division(r["代码"], r["名称"], LEVELS[r["级别"]], r["一级行政区"], r["二级行政区"],
                             int(r["启用时间"]), int(r["变更/弃用时间"]) if r["变更/弃用时间"] else None,
                             r["状态"], succ))
    return tuple(rows)


def aliases(d: Division) -> set[str]:
    names = {d.name}
    m = _ETHNIC.match(d.name)
    if m:
        names |= {m.group(1) + m.group(2), m.group(1)}
    elif len(d.name) >= 3 and d.name[-1] in "区县市旗省" and not d.name.endswith(("新区", "矿区", "郊区", "城区")):
        names.add(d.name[:-1])
    if d.level == "province":
        names.add(re.sub(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$", "", d.name))
    return {n for n in names if len(n) >= 2}


def short_forms(d: Division) -> set[str]:
    """巴州 for 巴音郭楞蒙古自治州, 延边州 for 延边朝鲜族自治州: read only where the page names the
    province (巴州 is also a district of 巴中)."""
    if d.level != "city" or not d.name.endswith("自治州"):
        return set()
    return {d.name[0] + "州", d.name[:2] + "州"} - {d.name}


@lru_cache(maxsize=1)
def _short_index() -> dict[str, list[Division]]:
    out: dict[str, list[Division]] = {}
    for d in divisions():
        for a in short_forms(d):
            out.setdefault(a, []).append(d)
    return out


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, list[Division]], WordScan]:
    idx: dict[str, list[Division]] = {}
    for d in divisions():
        for a in aliases(d):
            idx.setdefault(a, []).append(d)
    scan = dict(idx)
    for a, rows in _short_index().items():
        scan.setdefault(a, [])
    return idx, WordScan(scan)


def mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, alias) of every division name in text, longest match first."""
    _, scan = _index()
    return list(scan.finditer(text or ""))


def lineage_ids() -> dict[str, str]:
    """code -> lineage id: the latest code reached through one-to-one successions."""
    by_code: dict[str, list[Division]] = {}
    for d in divisions():
        by_code.setdefault(d.code, []).append(d)

    def follow(code: str, seen: frozenset = frozenset()) -> str:
        rows = by_code.get(code, [])
        row = max(rows, key=lambda d: d.valid_from) if rows else None
        if row is None or row.valid_to is None or code in seen:
            return code
        plain = [s for s in row.successors if "[" not in s]
        return follow(plain[0], seen | {code}) if len(plain) == 1 else code

    return {code: follow(code) for code in by_code}


def credit_code_division(text: str) -> str | None:
    """The division code inside a unified social credit code (characters 3-8), when present."""
    m = re.search(r"索引号[^0-9A-Z]{0,8}([0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10})", text)
    return m.group(1)[2:8] if m else None


def resolve(primary: list[str], context: list[str], year: int | None) -> Resolution:
    """Resolve from primary strings (issuer, title) using context (source, breadcrumb, site)."""
    return resolve_tiers([primary], context, year)


def resolve_tiers(tiers: list[list[str]], context: list[str], year: int | None) -> Resolution:
    """Resolve from tiers of evidence, best first (title/issuer, page source, signature, opening
    subject, site). The first tier naming a place wins; context only narrows ambiguous names.
    An ambiguous tier is kept unless a later tier names one of its candidates."""
    everything = " ".join([s for tier in tiers for s in tier if s] + [s for s in context if s])
    ctx = _Context(everything, year)
    pending: Resolution | None = None
    for tier in tiers:
        res = _resolve_tier([s for s in tier if s], ctx)
        if res.name:
            if pending is None or res.code in {c["code"] for c in pending.candidates}:
                return res
        elif res.candidates and pending is None:
            pending = res
    return pending or Resolution()


class _Context:
    """What the page says around the report: named places, and the credit code in 索引号."""

    def __init__(self, text: str, year: int | None):
        self.year = year
        self.hinted = credit_code_division(text)
        idx, _ = _index()
        self.aliases = {alias for _, _, alias in place_mentions(text)}
        # Places named in full (or a province/city by its short name) can narrow a township.
        self.codes = {d.code for a in self.aliases for d in idx.get(a, [])
                      if a == d.name or d.level in ("province", "city")}
        if self.hinted:
            self.codes.add(self.hinted)


def place_mentions(text: str) -> list[tuple[int, int, str]]:
    """Division mentions that are not part of a township name: 通城 in 通城镇 is no 通城县."""
    towns = townships.find(text)
    found = mentions(text)
    out = []
    for start, end, alias in found:
        bare = alias[-1] not in "区县市旗省州盟"
        inside = any(t.start <= start and end <= t.end for t in towns)
        if bare and (inside or re.match(r"(?:镇|乡|街道|苏木)", text[end:end + 2])):
            continue
        # A bare name that is not a word of its own is no place: 资源 in 自然资源部, 大城 in 超大城市,
        # 天山 in 天山网; 全州 is the whole prefecture (全州各级政府).
        if (bare and not _stands_alone(text, start, end)) or (alias[0] == "全" and len(alias) == 2):
            continue
        out.append((start, end, alias))
    return out


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Whether jieba cuts text[start:end] as words of their own (为|大连|振兴, not 超大|城市)."""
    lo = max(0, start - 6)
    bounds, pos = {lo}, lo
    for token in cut(text[lo:end + 4]):
        pos += len(token)
        bounds.add(pos)
    return start in bounds and end in bounds


def _resolve_tier(strings: list[str], ctx: _Context) -> Resolution:
    found = [(s, start, end, alias) for s in strings for start, end, alias in place_mentions(s)]
    division, ambiguous, after = _pick_division(found, ctx)
    for s in strings:
        for town in townships.find(s):
            res = _township(town, division, ambiguous, ctx)
            if res is not None:
                return res
    if division is not None:
        loose = _loose_township(division, after)
        return loose or Resolution(name=division.full_name, code=division.code, level=division.level,
                                   division=division)
    if ambiguous:
        return Resolution(candidates=[{"code": d.code, "name": d.full_name} for d in ambiguous])
    return Resolution()


def _pick_division(found, ctx: _Context) -> tuple[Division | None, list[Division], str]:
    idx, _ = _index()

    provinces = {d.province for a in ctx.aliases for d in idx.get(a, []) if d.level == "province"}

    def rows_of(alias: str) -> list[Division]:
        short = [d for d in _short_index().get(alias, []) if d.province in provinces and d.valid_to is None]
        if short and not any(d.province in provinces for d in idx.get(alias, [])):
            return short   # 巴州 on a page about 新疆
        rows = idx.get(alias, [])
        return [d for d in rows if d.valid_in(ctx.year)] or [d for d in rows if d.valid_to is None]

    def strength(f):
        # A name with its suffix (武隆区) beats a bare stem (市中 inside 市中级); a bare name right
        # before another names where that one lies (河北承德: 承德, in 河北); then the finer level
        # in the report's year: 湖州市 was a county-level city in 1981-83, which must not make it
        # as fine as 长兴县 in a 2023 report.
        text, start, end, alias = f
        bare = alias[-1] not in "区县市旗省州盟"
        before_another = bare and any(t == text and s == end for t, s in ((g[0], g[1]) for g in found))
        return (not bare, not before_another,
                max((_RANK[d.level] for d in rows_of(alias) or idx.get(alias, [])), default=0), len(alias))

    areas = ctx.aliases | {f[3] for f in found}
    for text, start, end, alias in sorted(found, key=strength, reverse=True):
        rows = rows_of(alias)
        if not rows:
            continue
        if re.match(r"(?:市)?(?:中院|中级)", text[end:end + 4]):   # 长沙中院: the city's court, not 长沙县
            rows = [d for d in rows if d.level == "city"] or rows
        elif alias[-1] not in "区县市旗省州盟":
            # A bare name is the province whose short name it is (吉林, 海南: the city is written
            # 吉林市), and a city it shares with a county inside it (承德, 长沙) is the city.
            provinces = [d for d in rows if d.level == "province"]
            cities = {d.code[:4] for d in rows if d.level == "city"}
            rows = provinces or [d for d in rows if not (d.level == "county" and d.code[:4] in cities)]
        top = max(_RANK[d.level] for d in rows)
        picked = _disambiguate([d for d in rows if _RANK[d.level] == top], areas, ctx.hinted)
        if len(picked) == 1:
            return picked[0], [], text[end:]
        if picked:
            return None, picked, ""
    return None, [], ""


def _disambiguate(rows: list[Division], areas: set[str], hinted: str | None) -> list[Division]:
    alive = rows
    if hinted:
        exact = [d for d in alive if d.code == hinted]
        if exact:
            return exact
    if len(alive) > 1:
        idx, _ = _index()
        parents = {d.name for a in areas for d in idx.get(a, []) if d.level in ("province", "city")}
        # The city named first: 江苏省南京市鼓楼区 is not 江苏省徐州市鼓楼区, though both are in 江苏省.
        alive = ([d for d in alive if d.city in parents] or [d for d in alive if d.province in parents]
                 or alive)
    # The same code listed twice (reused over years) is one place.
    unique = {d.code: d for d in alive}
    return list(unique.values())


def _township(town: townships.Found, division: Division | None, ambiguous: list[Division],
              ctx: _Context) -> Resolution | None:
    """The township a tier names, if its rows agree with the division the tier names (or, with
    no division, with the page's places; a name unique in the country needs nothing)."""
    lineage = _lineage()
    if division is not None:
        rows = [t for t in town.rows if townships.belongs(t, division.code, lineage)]
        if not rows:
            return None  # another county's township of that name: not this one
    elif ambiguous:
        rows = [t for t in town.rows if any(townships.belongs(t, d.code, lineage) for d in ambiguous)]
    else:
        rows = list(town.rows)
    if len(rows) > 1:
        narrowed = [t for t in rows if any(townships.belongs(t, c, lineage) for c in ctx.codes)]
        rows = narrowed or rows
    if len(rows) == 1:
        t = rows[0]
        county = division if division is not None and division.level == "county" else _county_of(t, ctx.year)
        return _town_resolution(t, county)
    if not rows:
        return None
    return Resolution(candidates=[{"code": t.code, "name": _town_resolution(t, _county_of(t, ctx.year)).name}
                                  for t in rows])


def _town_resolution(t: townships.Township, county: Division | None) -> Resolution:
    name = townships.short_name(t)
    return Resolution(name=(county.full_name if county else "") + name, code=t.code, level="township",
                      division=county, township=name)


def _county_of(t: townships.Township, year: int | None) -> Division | None:
    """The county row of township t valid in the report year (武隆县 in 2015 for a 武隆区 town);
    for a development zone that no edition lists, its city, else its province."""
    lineage = _lineage()
    by_code = _by_code()
    for code in (t.county, t.city + "00", t.province + "0000"):
        rows = by_code.get(code, [])
        if not rows:
            continue
        in_year = [d for d in rows if d.valid_in(year)]
        if not in_year:
            in_year = [d for d in divisions() if lineage.get(d.code) == lineage.get(code)
                       and d.level == rows[0].level and d.valid_in(year)]
        return in_year[0] if in_year else max(rows, key=lambda d: d.valid_from)
    return None


_LOOSE_TOWN = re.compile(r"(?:人民政府|政府)?([\u4e00-\u9fff]{2,4}?(?:街道|镇|乡|苏木))(?:办事处|人民政府|政府|党工委|党委)?")


def _loose_township(d: Division, after: str) -> Resolution | None:
    """A township the 2023 list lacks (renamed, merged), written right after its county: named,
    with no code rather than a guessed one."""
    if d.level != "county":
        return None
    m = _LOOSE_TOWN.match(after)
    # 周边五乡, 成立首个乡, 所辖各镇: words about townships, not a township's name.
    if m and not re.search(r"^(?:乡镇|各|全|关于|城乡)|[县区市省局委]|[一二三四五六七八九十两几多首各个]|周边|所辖|下辖|成立|等",
                           m.group(1)):
        town = m.group(1)
        return Resolution(name=d.full_name + town, code=None, level="township", division=d, township=town)
    return None


@lru_cache(maxsize=1)
def _lineage() -> dict[str, str]:
    return lineage_ids()


@lru_cache(maxsize=1)
def _by_code() -> dict[str, list[Division]]:
    out: dict[str, list[Division]] = {}
    for d in divisions():
        out.setdefault(d.code, []).append(d)
    return out
