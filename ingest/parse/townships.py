"""Township-level divisions (乡, 镇, 街道, 苏木 ...) and their nine-digit statistical codes.

`data/townships.csv` is the 2023 edition of the statistical division codes (no history), so it
serves every report year. Names repeat across the country (泉溪镇 is in three provinces), so a
name found in a text is only a set of rows; the resolver narrows it with the places around it.
The file is read on first use and indexed by name: a dict lookup per possible name ending is
cheaper than compiling one regex of 41k alternatives.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

# Names a report can be issued by. Farms, zones and prisons also have township codes, but their
# names (农场, 开发区) are common words in reports and they do not publish these reports.
_ENDINGS = ("街道", "镇", "乡", "苏木", "地区", "办事处")
_ENDING = re.compile("|".join(_ENDINGS))
_CJK = re.compile(r"[\u4e00-\u9fff]")
# A township named as an issuer: at the start, after its county or 人民政府, or followed by its
# organ or the report words. Anything else (推进城乡…, 乡镇) is prose, not a name.
_NAME_AFTER = re.compile(r"(?:人民政府|政府|办事处|党委|党工委|人大|关于|\d|[〇○二]|年度|法治|依法|$)")


class Township(NamedTuple):  # a tuple: 41k of them are built at first use
    code: str        # nine digits
    name: str
    county: str      # six-digit code of its county (a development zone's code may be in no edition)
    city: str        # four digits
    province: str    # two digits


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    name: str
    rows: list[Township]


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, list[Township]], int]:
    text = resources.files("ingest.parse").joinpath("data/townships.csv").read_text(encoding="utf-8-sig")
    idx: dict[str, list[Township]] = {}
    rows = csv.reader(text.splitlines())
    if next(rows) != ["code", "name", "areaCode", "provinceCode", "cityCode"]:
        raise ValueError("townships.csv: unexpected columns")
    for code, name, county, province, city in rows:
        if not name.endswith(_ENDINGS):
            continue
        t = Township(code, name, county, city, province)
        idx.setdefault(name, []).append(t)
        if name.endswith(("办事处", "地区")):
            for alias in _aliases(name):
                idx.setdefault(alias, []).append(t)
    return idx, max(map(len, idx))


def _aliases(name: str) -> list[str]:
    if name.endswith("街道办事处"):
        return [name[:-3]]           # 保康街道办事处 is written 保康街道
    if name.endswith("地区") and len(name) > 4:
        return [name[:-2] + "乡"]    # Beijing's 地区办事处 are also its 乡 (南磨房地区 = 南磨房乡)
    return []


def short_name(t: Township) -> str:
    return t.name[:-3] if t.name.endswith("街道办事处") else t.name


def find(text: str) -> list[Found]:
    """Township names in `text` standing as names (see _NAME_AFTER): the longest name ending at
    each 镇/乡/街道…, the earlier of two overlapping ones."""
    idx, longest = _index()
    found: list[Found] = []
    for m in _ENDING.finditer(text):
        end = m.end()
        run = end
        while run > 0 and _CJK.match(text[run - 1]):
            run -= 1
        for start in range(max(run, end - longest), end - 1):
            name = text[start:end]
            if name in idx and _stands_as_name(text, start, end):
                found.append(Found(start, end, name, idx[name]))
                break
    kept: list[Found] = []
    for f in sorted(found, key=lambda f: (f.start, -f.end)):
        if not kept or f.start >= kept[-1].end:
            kept.append(f)
        elif f.end > kept[-1].end and f.start == kept[-1].start:
            kept[-1] = f
    return kept


def _stands_as_name(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 4):start]
    if end - start == 2 and not re.search(r"[县区市旗]$", before):
        return False  # 乌镇, 城区: too short to trust without its county right before
    lead = start == 0 or re.search(r"(?:[县区市旗州盟省]|人民政府|政府|中共|[\s，,、：:])$", before)
    return bool(lead or _NAME_AFTER.match(text, end))


def belongs(t: Township, code: str, lineage: dict[str, str]) -> bool:
    """Whether township t lies in the division `code` (any level), across renames of the code."""
    if code.endswith("0000"):
        return t.province == code[:2]
    if code.endswith("00"):
        return t.city == code[:4] or lineage.get(t.city + "00", "?") == lineage.get(code)
    return t.county == code or lineage.get(t.county, "?") == lineage.get(code)
