"""The place of a page that never names itself in its head: 全省共办理… on a page that names 陕西
elsewhere, 我局 on a page about 莆田. The page's own level word (全省, 我市, 县政府…) says which level
to look for; the place of that level the page names most, and more often than any other, is it."""
from __future__ import annotations

import re
from collections import Counter

from .jurisdiction import Resolution, _by_code, _index, place_mentions

_LEVEL_WORDS = (
    # 某省各级司法行政机关: the level's own organs as a whole.
    ("province", re.compile(r"全省|我省|本省|省委|省政府|省司法厅|省高级人民法院|省高院|省人大|省法院|全区各级|自治区|省各级")),
    ("city", re.compile(r"全市|我市|本市|市委|市政府|市司法局|市中级人民法院|市中院|市局|全州|我州|全盟|盟委|行署|市各级")),
    ("county", re.compile(r"全县|我县|本县|县委|县政府|县司法局|全区|我区|本区|区委|区政府|区司法局|全旗|我旗|县各级")),
)
_SELF = re.compile(r"我局|本局|我院|本院|我委|我办|我厅")
# A national body, or the country as the area: a page about the whole country.
_NATIONAL = re.compile(r"^(?:中华人民共和国)?(?:[\u4e00-\u9fff]{2,8}部|国务院|最高人民法院|最高人民检察院|全国人大常委会)"
                       r"(?=\d{4}|关于|[、和与]|召开|印发|发布|联合|院长|检察长|部长|副部长)|全国(?:共|各级|法院|人民调解|行政复议|法律援助|司法行政)")
NATION = "中华人民共和国"
NATIONAL_BODY = re.compile(r"^(?:中华人民共和国)?(?:[\u4e00-\u9fff]{2,8}部|国务院[\u4e00-\u9fff]{0,8}|最高人民法院|最高人民检察院)$")
_LOOK = 3000     # how much of the page is read for the place


def _at_level(d, levels: list[str]) -> bool:
    # 全市 on a page of 北京, 天津, 上海 or 重庆: the city is a province-level municipality.
    # Not when the page also speaks of 区委/区司法局: then it is one of the municipality's districts.
    return d.level in levels or ("city" in levels and "county" not in levels and d.level == "province"
                                 and d.code[:2] in _MUNICIPALITIES)


_MUNICIPALITIES = ("11", "12", "31", "50")


def page_place(text: str, head: str, year: int | None) -> Resolution:
    """The page's place from its level word (in `head`: title and opening) and the places it names."""
    if _NATIONAL.search(head) and not any(words.search(head) for _, words in _LEVEL_WORDS):
        return Resolution(name=NATION)
    levels = [level for level, words in _LEVEL_WORDS if words.search(head)]
    if "county" in levels and re.search(r"全区|我区", head) and re.search(r"自治区", text[:_LOOK]):
        levels.append("province")   # 全区 on a page of an autonomous region
    # With no level word either, a page still belongs to the place it names far more than any other
    # (a news item about 北京市 that says 市司法局): twice at least, and twice as often as the next.
    dominant_only = not levels and not _SELF.search(head)
    idx, _ = _index()
    counts: Counter = Counter()
    every: Counter = Counter()   # whatever their level: a page about one city quotes 《法治四川》
    rows, written, shared = {}, {}, []
    mentioned = place_mentions(text[:_LOOK])
    # Short forms resolve only with their province or city named on the page (荣昌 beside 重庆).
    around = {d.code[:k] for _, _, alias in mentioned for d in idx.get(alias, [])
              if d.level == "province" or (d.level == "city" and alias[-1] in "市州盟") for k in (2, 4)}
    for _, _, alias in mentioned:
        found = _rows(idx, alias, year)
        if alias[-1] not in "省市县区旗州盟" and len(alias) < 3:
            near = [d for d in found if d.level != "province" and (d.code[:4] in around or d.code[:2] in around
                                                                   and d.code[:2] in _MUNICIPALITIES)]
            if len(near) == 1 and levels and _at_level(near[0], levels):
                counts[near[0].code] += 1
                rows[near[0].code] = near[0]
                written.setdefault(near[0].code, set()).add(alias)
                continue
            if around and not any(d.code[:2] in around for d in found):
                continue   # 除险固安 on a page about 重庆: a word, not 固安县
        if len(found) == 1 and alias[-1] in "省市县区旗州盟":
            every[found[0].code] += 1
            rows[found[0].code] = found[0]
        if alias[-1] not in "省市县区旗州盟" and len(alias) < 3 and alias not in head \
                and not (len(found) == 1 and found[0].level == "province" and "province" in levels):
            continue   # a bare two-character name is too often a word (公安, 中山路), unless a headline
            # gives it or it is a province's own short name (辽宁) on a page that speaks of 全省
        found = [d for d in found if not levels or _at_level(d, levels)]
        if len(found) != 1:
            shared.append(found)   # a name two places share counts only for one the page names alone
            continue
        d = found[0]
        counts[d.code] += 1
        rows[d.code] = d
        written.setdefault(d.code, set()).add(alias)
    for found in shared:
        named = [d for d in found if d.code in counts]
        if len(named) == 1:
            counts[named[0].code] += 1
    # One place named by its full name three times and three times as often as any other: the
    # page is about it, whatever its level words (省委…主办的《法治四川》刊发了南充市…).
    (top, k), *others = every.most_common(2) + [(None, 0)]
    if top and k >= 3 and k >= 3 * max(others[0][1], max((counts[c] for c in counts if c != top), default=0)):
        d = rows[top]
        return Resolution(name=d.full_name, code=d.code, level=d.level, division=d)
    top = counts.most_common(2)
    if not counts or (len(top) == 2 and top[0][1] == top[1][1]):
        parent = _parent_vote(text, levels, year)
        if parent.name or not counts:
            return parent
    (best, n), *rest = counts.most_common(2) + [(None, 0)]
    in_head = any(a in head for a in (rows[best].name, rows[best].full_name, *written[best]))
    # The one place of the page's level that the page names at all (全市 … 包头市).
    alone = bool(levels) and len(counts) == 1 and rows[best].level == levels[-1]
    if (n < 2 and not in_head and not alone) or (rest and rest[0][1] == n):
        return Resolution()
    if dominant_only and (n < 2 or (rest and rest[0][1] * 2 > n)):
        return Resolution()
    if not levels:   # a body that calls itself 我局/我院, or names no level: the deepest place it names
        deeper = [c for c in counts if c != best and c.startswith(best.rstrip("0")) and counts[c] * 2 >= n]
        if deeper:
            return Resolution()
    d = rows[best]
    return Resolution(name=d.full_name, code=d.code, level=d.level, division=d)


def _rows(idx, alias: str, year: int | None) -> list:
    """The divisions a name stands for in the report's year (the current ones when none was then)."""
    rows = idx.get(alias, [])
    return [d for d in rows if d.valid_in(year)] or [d for d in rows if d.valid_to is None]


_AUTONOMOUS = ("15", "45", "54", "64", "65")
_ANCESTOR = {"province": 2, "city": 4}


def _parent_vote(text: str, levels: list[str], year: int | None) -> Resolution:
    """全省 on a page that names only 阜新市、大连市、营口市 (or 市局 on one naming 临沭县、兰山、郯城):
    the province or city they all lie in. Each place named below the page's level votes for its
    ancestor at that level; a short name counts only where its ancestor is named too."""
    level = levels[-1] if levels else None
    if level not in _ANCESTOR:
        return Resolution()
    width = _ANCESTOR[level]
    idx, _ = _index()
    by_code = _by_code()
    votes: Counter = Counter()
    voters: dict[str, set] = {}
    short: list[str] = []
    for _, _, alias in place_mentions(text[:_LOOK]):
        found = _rows(idx, alias, year)
        ancestors = {d.code[:width] for d in found}
        if len(ancestors) != 1:
            continue
        if alias[-1] in "省市县区旗州盟" or len(alias) >= 3 or found[0].level == "province":
            prefix = ancestors.pop()
            votes[prefix] += 1
            voters.setdefault(prefix, set()).update(d.code for d in found)
        else:
            short.append(ancestors.pop())
    for prefix in short:   # 兰山 counts on a page that names 临沂 by its full name
        if votes[prefix]:
            votes[prefix] += 1
    if level == "province" and _ONLY_REGION.search(text[:_LOOK]) and not _PROVINCE_WORD.search(text[:_LOOK]):
        votes = Counter({k: v for k, v in votes.items() if k in _AUTONOMOUS})
    ranked = votes.most_common(2) + [(None, 0), (None, 0)]
    (best, n), (_, second) = ranked[0], ranked[1]
    if best is None or n < 2 * second or (n < 2 and second):
        return Resolution()
    # One district named alone is too weak (平安区, 新区 are words too); a city, a province or two places are not.
    lone = [d for c in voters.get(best, ()) for d in by_code.get(c, [])[:1]]
    if len(voters.get(best, ())) < 2 and all(d.level == "county" for d in lone):
        return Resolution()
    rows = by_code.get(best + "0" * (6 - width), [])
    if not rows:
        return Resolution()
    d = rows[0]
    return Resolution(name=d.full_name, code=d.code, level=d.level, division=d)


_ONLY_REGION = re.compile(r"自治区|全区各级")
_PROVINCE_WORD = re.compile(r"全省|我省|本省|省委|省政府|省司法厅")


def narrow(candidates: list[dict], text: str, year: int | None) -> Resolution:
    """One of the divisions an ambiguous name may be (通州区: 北京's or 南通's), from the page: the
    one whose province or city the page names anywhere, else the district of a province-level
    municipality (a page names 北京's districts without 北京 far more often than others'), else none."""
    by_code = _by_code()
    rows = [d for c in candidates for d in by_code.get(c["code"], [])[:1]]
    idx, _ = _index()
    named = {d.code for _, _, alias in place_mentions(text[:_LOOK]) for d in idx.get(alias, [])
             if d.level in ("province", "city")}
    picked = [d for d in rows if d.code[:2] + "0000" in named or d.code[:4] + "00" in named]
    if len(picked) != 1:
        picked = [d for d in (picked or rows) if d.code[:2] in _MUNICIPALITIES and d.level == "county"]
    if len(picked) != 1:
        return Resolution(candidates=candidates)
    d = picked[0]
    return Resolution(name=d.full_name, code=d.code, level=d.level, division=d)
