"""Who a report's opening paragraph says is reporting: the place that opens its first clauses
(2023年，某县人民政府坚持…) and the place a report names itself by (现将某市2022年…报告如下)."""
from __future__ import annotations

import re

from . import townships
from .jurisdiction import _LOOSE_TOWN, _index, mentions, place_mentions

# The reporting body opens the report: "2023年，XX县人民政府坚持…", "近日，XX街道…". Time words,
# purpose clauses and asides (在市委、市政府的领导下, 《…》) come before it; places named
# anywhere else in the paragraph are merely mentioned.
_LEAD = re.compile(r"^(?:(?:\d{4}|[〇○零一二三四五六七八九]{4})年度?(?:以来|来|中|内|里|初以来|上半年|下半年)?"
                   r"|今年(?:以来)?|本年度?|去年(?:以来)?|过去一年|一年来|近年来|近一年来|近几年来?|几年来|多年来|年初以来|全年"
                   r"|近日|日前|近期|目前|当天|当日|昨天|昨日|今天|本报讯|据介绍|据悉|据了解|记者了解到|\d{1,2}日|[至到](?=\d)|\d{1,2}月(?:\d{1,2}日)?(?:上午|下午|晚)?(?:以来)?)")
_ASIDE = re.compile(r"《[^》]*》|“[^”]*”|\([^)]*\)|（[^）]*）|【[^】]*】"
                    r"|在[^，。；]{0,40}?(?:领导|指导|关心|支持|帮助|部署|带领|统筹|推动)下")
_PREAMBLE = re.compile(r"^(?:为|根据|按照|依据|依照|遵照|对照|结合|围绕|随着|经|是)")  # 是: "2023年是…开局之年"


def subject_of(opening: str) -> str | None:
    """The place that opens the first clauses of a paragraph, as a short string to resolve; none
    when the paragraph speaks for a larger area (长春林区…挂牌，标志着全省…全部完成; 南京…，至此我省
    13个设区市全部调整): that place is one of its parts."""
    found = subject_clause(opening)
    if not found:
        return None
    idx, _ = _index()
    ranks = [_RANKS[d.level] for _, _, a in mentions(found[0]) for d in idx.get(a, []) if d.level in _RANKS]
    # (A county-level city says 全市 of itself.)
    larger = [words for rank, words in _LARGER if ranks and min(ranks) > rank and not (rank == 2 and found[0].endswith("市"))]
    if any(re.search(rf"(?:^|[，,。；;]|标志着|至此)\s*(?:{words})", opening) for words in larger):
        return None
    return found[0]


_RANKS = {"province": 1, "city": 2, "county": 3}
# A larger area's own words opening a clause (not 在全市率先 or 第三批全省…项目: a part compares itself).
_LARGER = ((1, "全省|我省|本省"), (2, "全市|我市|本市|全州|我州"))


_REPORTS_AS = re.compile(r"现将(?P<place>[\u4e00-\u9fff]{2,30}?)(?:\d{4}|[〇○二][〇○零一二三四五六七八九]{3})年")


def reported_as(opening: str) -> str | None:
    """The place a report names itself by in 现将某市2022年法治政府建设情况报告如下."""
    m = _REPORTS_AS.search(opening or "")
    return _leading_place(m.group("place")) if m else None


def _without_lead(c: str) -> str:
    """c without its leading dates and linking words (2023年, 近日, 本报讯)."""
    m = _LEAD.match(c)
    while m and m.group():
        c = c[m.end():].lstrip()
        m = _LEAD.match(c)
    return c


def lead_clauses(opening: str, limit: int) -> list[str]:
    """The first clauses of a paragraph with their leading dates and asides taken off."""
    out = []
    for clause in re.split(r"[，,。；;：:！？!?]", _ASIDE.sub("，", opening or "")):
        c = _without_lead(clause.strip())
        if c:
            out.append(c)
        if len(out) >= limit:
            break
    return out


def subject_clause(opening: str) -> tuple[str, str] | None:
    """(place, clause) for the first clause of a paragraph that opens with a place (武清区司法局在…
    gives 武清区 and the clause), after dates, asides and a few preamble clauses."""
    clauses, preamble = 0, False
    for clause in re.split(r"[，,。；;：:！？!?]", _ASIDE.sub("，", opening or "")):
        c = _without_lead(clause.strip())
        if not c:
            continue
        clauses += 1
        c = re.sub(r"^中共", "", c)
        name = _leading_place(c)
        if name:
            return name, c
        # A purpose clause runs on through its parallel verb phrases (为加强…，规范…，提升…，10月起，某局…).
        preamble = preamble or bool(_PREAMBLE.match(c)) or c.endswith("以来")   # 党史学习教育以来，某局…
        if clauses >= (8 if preamble else 3) or not preamble:
            return None
    return None


_PERSON = re.compile(r"(?:[\u4e00-\u9fff]{1,5}?(?:镇|乡|村|街道|社区|小区))?(?:村民|农民|居民|市民|男子|女子|老人|妇女|学生|务工人员|籍)")


def _leading_place(c: str) -> str | None:
    """The run of place names at the very start of c (重庆市武隆区, XX县人民政府XX镇)."""
    spans = sorted([(s, e) for s, e, _ in place_mentions(c)] + [(t.start, t.end) for t in townships.find(c)])
    end = 0
    for s, e in spans:
        if s == end or (end and re.fullmatch(r"(?:人民政府|政府)", c[end:s])):
            end = max(end, e)
        elif s > end:
            break
    if not end or _PERSON.match(c, end):
        return None   # 四川省马边彝族自治县农民某某来到…: where a person comes from, not who reports
    loose = _LOOSE_TOWN.match(c, end)
    return c[:loose.end()] if loose else c[:end]
