"""Resolve the area a report covers to GB/T 2260 codes, with their history.

The spine is `data/areacodes.csv` (every division code since 1981, CC0). A name is resolved
with the code valid in the report year; renames and recodings that are one-to-one (蓟县 ->
蓟州区, 武隆县 -> 武隆区) share a lineage id, the latest code of the chain. A name that stays
ambiguous after using the page's context resolves to no code, with its candidates.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

LEVELS = {"省级": "province", "地级": "city", "县级": "county"}
_RANK = {"county": 3, "city": 2, "province": 1}
_NOT_A_CITY = ("直辖", "省直辖县级行政区划", "自治区直辖县级行政区划", "")
_ETHNIC = re.compile(r"^(.{2,}?)(?:[\u4e00-\u9fff]{1,4}族)+自治(县|旗|州)$")
_TOWNSHIP = re.compile(r"(?:人民政府|政府)?([\u4e00-\u9fff]{2,6}?(?:街道|镇|乡))(?:办事处|人民政府|政府|党工委|党委)?")


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
    code: str | None = None          # six-digit code; None for a township or when ambiguous
    level: str | None = None
    division: Division | None = None  # the county/city/province row (the parent, for a township)
    township: str | None = None
    candidates: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"name": self.name, "code": self.code, "level": self.level}


@lru_cache(maxsize=1)
def divisions() -> tuple[Division, ...]:
    text = resources.files("ingest").joinpath("data/areacodes.csv").read_text(encoding="utf-8-sig")
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


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, list[Division]], re.Pattern]:
    idx: dict[str, list[Division]] = {}
    for d in divisions():
        for a in aliases(d):
            idx.setdefault(a, []).append(d)
    pattern = re.compile("|".join(sorted(map(re.escape, idx), key=len, reverse=True)))
    return idx, pattern


def mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, alias) of every division name in text, longest match first."""
    _, pattern = _index()
    return [(m.start(), m.end(), m.group()) for m in pattern.finditer(text or "")]


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
    idx, _ = _index()
    found = []
    for text in primary:
        for start, end, alias in mentions(text):
            found.append((text, start, end, alias))
    if not found:
        return Resolution()
    ctx_text = " ".join(primary + context)
    hinted = credit_code_division(ctx_text)
    areas = {a for _, _, _, a in found} | {a for _, _, a in mentions(ctx_text)}

    def strength(f):
        # A name with its suffix (武隆区) beats a bare stem (市中 inside 市中级); then the finer level.
        alias = f[3]
        return (alias[-1] in "区县市旗省州盟", max(_RANK[d.level] for d in idx[alias]), len(alias))

    for text, start, end, alias in sorted(found, key=strength, reverse=True):
        rows = [d for d in idx[alias] if d.valid_in(year)] or [d for d in idx[alias] if d.valid_to is None]
        if not rows:
            continue
        top = max(_RANK[d.level] for d in rows)
        picked = _disambiguate([d for d in rows if _RANK[d.level] == top], areas, hinted)
        if len(picked) == 1:
            return _with_township(picked[0], text[end:])
        if picked:
            return Resolution(candidates=[{"code": d.code, "name": d.full_name} for d in picked])
    return Resolution()


def _disambiguate(rows: list[Division], areas: set[str], hinted: str | None) -> list[Division]:
    alive = rows
    if hinted:
        exact = [d for d in alive if d.code == hinted]
        if exact:
            return exact
    if len(alive) > 1:
        idx, _ = _index()
        parents = {d.name for a in areas for d in idx.get(a, []) if d.level in ("province", "city")}
        narrowed = [d for d in alive if d.province in parents or d.city in parents]
        alive = narrowed or alive
    # The same code listed twice (reused over years) is one place.
    unique = {d.code: d for d in alive}
    return list(unique.values())


def _with_township(d: Division, after: str) -> Resolution:
    base = Resolution(name=d.full_name, code=d.code, level=d.level, division=d)
    if d.level != "county":
        return base
    m = _TOWNSHIP.match(after)
    if m and not m.group(1).startswith(("乡镇", "各")):
        town = m.group(1)
        return Resolution(name=d.full_name + town, code=None, level="township", division=d, township=town)
    return base
