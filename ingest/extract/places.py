"""Figures about the places a page lists (each city on a provincial page, each court, the counties
above a threshold), not about the report's own area.

A figure gets a place when its table row is labelled with a place or a body of one, or when its
clause is opened by one: a place (A市受理…), a list (A、B、C受理…分别为x、y、z: each value with its
place in order; X县、Y县2个县…: the group; 甲、乙公证处: named bodies), the intermediate court on a
page of two levels of courts, or places named after a threshold (超过300件的分别是…) or paired with
their figures (居前三位的地区依次为A 120件、B 98件). A place holds for the later clauses of its
sentence until another place or the area (全市, 各级, the report's own names) opens a clause, and
for the later sentences of a paragraph it opens.

Extraction knows no division index (parse resolves the names later), so a place is recognised by
its suffix (省/市/区/县/州/盟/旗/街道/镇/乡) and its level guessed from it; a bare name (济南) only in
a list the page counts (六市, 两个县) or in a table whose label column is headed 地区, 县区...
The report's own place, the area words and the area's own bodies (区政府 in a district's report)
are never a place. A lone place opening a clause counts only on a page that names several, or two
levels below the report's own: otherwise it is most often the report's own under a name its
metadata missed (a one-line text about 某市 is 某市's).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.text.numbers import find_numbers

from .catalogue import load
from .metric import Metric, ReportContext

_CJK = r"[\u4e00-\u9fff]"
# Characters no place stem holds at a clause's start: function words, quantifiers, area words.
_STOP = "的了在进与及或对为等个各全本我该每某所其这那此共计累将由向从经据如以"
_STEM_CHAR = rf"(?:(?![{_STOP}]){_CJK})"
_SUFFIXES = (("特别行政区", "province"), ("自治区", "province"), ("自治州", "city"), ("自治县", "county"),
             ("自治旗", "county"), ("地区", "city"), ("新区", "county"), ("林区", "county"),
             ("街道", "township"), ("苏木", "township"), ("省", "province"), ("市", "city"),
             ("区", "county"), ("县", "county"), ("州", "city"), ("盟", "city"), ("旗", "county"),
             ("镇", "township"), ("乡", "township"))
_SUFFIX = "|".join(s for s, _ in _SUFFIXES)
_NAME = rf"{_STEM_CHAR}{{2,4}}?(?:{_SUFFIX})(?![村场域级民镇街])"  # not 乡村, 市场, 县域, 镇街
# A verb or adverb before a level word is no name: 完成市政府…, 配合区政府办…, 聚焦镇村干部.
_VERB = re.compile(r"^(?:配合|完成|编制|审核|审查|积极|协调|聚焦|办理|组织|开展|推进|推动|加强|建立|健全|落实|指导|督促|参与|"
                   r"参加|召开|举办|出台|印发|制定|发布|报送|提请|起草|修订|备案|清理|承办|代理|协助|服务|保障|支持|联合|牵头|"
                   r"做好|抓好|完善|深化|强化|优化|规范|提升|提高|全面|持续|不断|进一步|按照|根据|围绕|针对|对接|衔接|邀请|选派|"
                   r"深入|走进|覆盖|实现|确保|推行|探索|打造|构建|形成|列席|出席|联系|督查|检查|考核|评查|培训|宣传|走访)")
# A stem that is a kind of area, not a name: 市县两级, 主城区, 直辖市, 试点县, 两县.
_NOT_A_STEM = re.compile(r"^[省市县区州乡镇街村]+$|^(?:主城|中心城|县城)$|[级点两二三四五六七八九十]$"
                         r"|直辖|开发$|示范$|试验$|功能$|重点$|边境$|周边|农村|政府|机关")
_COURT = r"(?:高级人民法院|中级人民法院|人民法院|法院|中院|高院|[一二三四五六七八九]中院|[一二三四五六七八九]中法院)"
_BODY = rf"(?:{_COURT}|人民检察院|检察院|人民政府|政府|办事处|{_CJK}{{0,8}}?(?:局|厅|委员会|委|办公室|中心|所|站|队))"
_BODY_START = re.compile(rf"(?:{_COURT}|人民|政府|办事处)")
# A level word with a body and no name: the area's own organ (区政府, 市司法局, 市中院).
_OWN_BODY = re.compile(rf"^[省市县区州旗](?:两级)?{_BODY}")
_OWN_COURT = re.compile(rf"^(?:[省市县区州旗]{_COURT}|中院|中级人民法院|高院|高级人民法院)")
_AREA = re.compile(r"^(?:全[国省市区县州盟旗镇乡]|各级|各地|[本我该][省市区县州盟旗镇乡]|[省市县区]级|[省市县区]直"
                   r"|[省市县区]{1,2}两级|两级|[省市县区]、)")
_TOTAL_ROW = re.compile(r"^(?:合计|总计|总数|共计|汇总|小计|总体|全部|全[国省市区县州盟旗镇乡]|[省市县区]本级|[省市县区]直)")
# A table whose label column lists places by bare names (省份 | 数量, 地区 | 收案数).
_PLACE_COLUMN = re.compile(r"^(?:省份|省区市|省\(区、市\)|地区|地市|市州|市\(州\)|县区|区县|县\(市、区\)|县市区"
                           r"|区域|辖区|行政区划?)$")
# Said before the subject: dates and linking words (2023年, 截至目前, 其中, 据统计).
_LEAD = re.compile(r"^(?:(?:\d{4}|[〇○零一二三四五六七八九]{4})年度?(?:以来|来|中|内|底|末|上半年|下半年|前\d+个?月|\d+-\d+月)?"
                   r"|\d{1,2}月(?:份|\d{1,2}日)?(?:以来|至今)?|今年(?:以来)?(?:上半年|下半年)?|去年|上年|全年|年内|当年|同期"
                   r"|一年来|近年来|目前|截[至止](?:到)?(?:目前|今年底|年底)?|其中|另外|此外|同时|另|而|但|并|据统计|统计显示|数据显示"
                   r"|经统计|从数据看|报告显示|白皮书显示|据了解)[，,、]?")
_COUNT = re.compile(r"等?(?:以上|上述|这)?(?:[两二三四五六七八九十]|\d+)个?(?:地市|市州|县区|县市区|市|县|区|地|州|盟|旗|省)|等地")
_THEN = re.compile(r"^[件项起人次万亿元%余多以上的]*(?:分别|依次)?(?:是|为|有)")
_SEVERAL = re.compile(r"分别|依次")
# A list of place-figure pairs: 居前五位的地区依次为A 1370件、B 770件; 较少的城市分别是…
_PAIRS = re.compile(r"(?:地区|地市|市州|州市|县区|区县|城市|省份|法院)[^，,；;]{0,4}?(?:分别|依次)(?:为|是|有)")
_SUM = re.compile(r"^(?:共计|合计|总计|累计|共)")
# Named bodies sharing their kind (甲、乙公证处): a list of bodies, not the area.
_BODIES = re.compile(r"^(?:公证处|律师事务所|律所|司法鉴定所|鉴定所|调委会|人民调解委员会|法律援助中心|仲裁委员会|法院)")
_CLAUSE = re.compile(r"[，,；;：:]")
_SENTENCE = re.compile(r"[。！？!?\n]")
_RANK = {"province": 1, "city": 2, "county": 3, "township": 4}
# The page speaks of its courts as several (全市两级法院, 各基层法院): one of them is a part.
_COURTS_CUE = re.compile(r"两级法院|三级法院|基层法院|全[省市区县州]法院|各级法院|[省市县区]{2}两级法院")


@dataclass
class _Page:
    text: str
    own: str                 # the report's own names (and their short forms)
    own_rank: int            # the finest level its own names hold (0: none)
    courts: bool             # the page speaks of several courts of its area
    openers: dict            # paragraph start -> the subject its first clause names (a cache)


@dataclass(frozen=True)
class _Item:
    name: str          # the place (历下区) or, for a body with no name, the body as written (市中院)
    level: str | None
    bare: bool = False  # a name without its suffix (济南)


def mark_places(text: str, metrics: Sequence[Metric], ctx: ReportContext) -> None:
    """Set `place` on each figure about a listed place or body rather than the report's own area."""
    own = _own(ctx.own_names)
    page = _Page(text, own, max((_RANK[_level(n)] for n in _places_in(own)), default=0),
                 bool(_COURTS_CUE.search(text)), {})
    heads = _table_heads(text) if any(m.mechanism.startswith("table") for m in metrics) else {}
    named = {}
    for m in metrics:
        if m.place is None:
            named[id(m)] = (_row_place(text, m, own, heads) if m.mechanism.startswith("table")
                            else _clause_place(page, m))
    # A lone place opening a clause is most often the report's own (its name missing from the
    # metadata, or written another way): only a page naming several places lists them.
    listing = len({p["name"] for p in named.values() if p}) >= 2
    for m in metrics:
        p = named.get(id(m))
        if p and (listing or p.pop("_listed", False)):
            p.pop("_listed", None)
            m.place = p


def _own(names: str) -> str:
    # 延边朝鲜族自治州 is written 延边州 in the text.
    return re.sub(r"(?:[\u4e00-\u9fff]{1,4}族)+自治([州县旗])", r"\1", names or "") + " " + (names or "")


def _places_in(s: str) -> list[str]:
    return [m.group() for m in re.finditer(_NAME, s) if _is_stem(m.group())]


def _is_stem(name: str) -> bool:
    suffix = next(s for s, _ in _SUFFIXES if name.endswith(s))
    stem = name[:-len(suffix)]
    return len(stem) >= 2 and not _NOT_A_STEM.search(stem) and not _VERB.match(stem)


def _level(name: str) -> str | None:
    return next((lvl for s, lvl in _SUFFIXES if name.endswith(s)), None)


def _is_own(item: _Item, own: str) -> bool:
    if item.bare:
        return len(item.name) >= 2 and item.name in own and not _places_in(item.name)
    return item.name in own


def _place(items: list[_Item], listed: bool) -> dict:
    if len(items) == 1:
        p = {"name": items[0].name, "code": None, "level": items[0].level}
    else:
        levels = {i.level for i in items}
        p = {"name": "、".join(i.name for i in items), "code": None, "level": levels.pop() if len(levels) == 1 else None}
    if listed:
        p["_listed"] = True   # a list or a counted group: a place on any page
    return p


# -- table rows ---------------------------------------------------------------------------------

def _row_place(text: str, m: Metric, own: str, heads: dict[int, str]) -> dict | None:
    cells = [c.strip(" |\t") for c in re.split(r"[|\n]", text[m.start:m.end])]   # a vertical row: one cell per line
    label = next((c for c in cells if c and not _whole_figure(c) and not re.fullmatch(r"序号|\d+|[+\-－—]", c)), "")
    if not label or _TOTAL_ROW.match(label):
        return None
    item = _named(label, full=True)
    if item is None and re.fullmatch(rf"[省市县区州旗]{_COURT}", label):
        item = _Item(label, _level(label[0]))   # 市中院 in a table of the courts
    if item is None and _OWN_BODY.match(label):
        return None
    head = m.table_head or heads.get(text.rfind("\n", 0, m.start) + 1, "")
    bare = re.fullmatch(rf"{_STEM_CHAR}{{2,4}}", label) or label in load().province_names   # 四川 holds a numeral
    if item is None and bare and _PLACE_COLUMN.match(head):
        item = _Item(label, None, bare=True)
    if item is None or _is_own(item, own):
        return None
    return _place([item], listed=True)


def _whole_figure(cell: str) -> bool:
    """A cell that is one figure (3,412 / 98.5%), not a name with a numeral in it (四川, 三河)."""
    found = find_numbers(cell)
    return bool(found) and found[0].qualifier_start == 0 and found[-1].end == len(cell)


def _table_heads(text: str) -> dict[int, str]:
    """For each table line (by its start): the first cell of its table's first line (省份, 县区...)."""
    heads, head, pos = {}, None, 0
    for line in text.split("\n"):
        if "|" in line:
            head = line.strip("| \t").split("|")[0].strip() if head is None else head
            heads[pos] = head
        else:
            head = None
        pos += len(line) + 1
    return heads


# -- sentences ----------------------------------------------------------------------------------

def _named(s: str, full: bool = False) -> _Item | None:
    """The place opening s (its last name when several: 山东省济南市历下区), with the body after it."""
    end, last = 0, None
    while True:
        m = re.match(_NAME, s[end:])
        if not m or not _is_stem(m.group()) or (last and _BODY_START.match(s, end)):
            break
        last, end = m.group(), end + m.end()
    if last is None:
        return None
    body = re.match(_BODY, s[end:])
    if full and s[end + (body.end() if body else 0):]:
        return None
    return _Item(last, _level(last))


def _opener(page: _Page, clause: str) -> tuple[str, list[_Item]] | None:
    """Who opens a clause: ('area', []) for the area or its own organs, ('place', items), ('court',
    [one]) for one of the area's courts, ('bodies', [one]) for named bodies; None: nobody new."""
    c = clause.strip()
    m = _LEAD.match(c)
    while m and m.group():
        c = c[m.end():].lstrip()
        m = _LEAD.match(c)
    if not c:
        return None
    if _AREA.match(c):
        whole = re.match(r"全([省市区县州盟旗镇乡])", c)
        return "area", [_Item(whole.group(), _level(whole.group(1)))] if whole else []
    items, rest = _list(c)
    court = _OWN_COURT.match(c) if not items else None
    if court:
        if not find_numbers(c):   # 市中院召开发布会…: the court speaks for the area
            return "area", []
        name = court.group()
        return "court", [_Item(name, "province" if "高" in name else _level(name[0]) or "city")]
    if not items:
        return ("area", []) if _OWN_BODY.match(c) else None
    if all(_is_own(i, page.own) for i in items):
        return "area", []
    body = _BODIES.match(rest)
    if len(items) > 1 and all(i.bare for i in items) and body:
        return "bodies", [_Item("、".join(i.name for i in items) + body.group(), None)]
    return "place", items


def _list(c: str) -> tuple[list[_Item], str]:
    """A place or a list of places (A市、B县 or 济南、临沂) at the start of c, and what follows."""
    items, pos = [], 0
    while True:
        named = _named(c[pos:])
        court = None if named or not items else re.match(rf"[省市县区州旗]{_COURT}", c[pos:])
        if court:   # 市五中法院 among the district courts: one of the courts listed
            items.append(_Item(court.group(), _level(court.group()[0])))
            step = court.end()
        elif named:
            m = re.match(rf"(?:{_NAME})+(?:{_BODY})?", c[pos:])
            step = m.end() if m else len(named.name)
            items.append(named)
        else:
            bare = re.match(rf"{_STEM_CHAR}{{2,3}}?(?=、|[两二三四五六七八九十\d]|等|分别|均|各|共|受理|收|新收|审结|结案|办理|"
                            rf"办结|化解|调解|年|的|[，,；;]|{_BODIES.pattern[1:]})", c[pos:])
            if not bare or not (items or c[pos + bare.end():pos + bare.end() + 1] == "、"):
                break
            # 蠡县, 沛县: a one-character name keeps its suffix.
            items.append(_Item(bare.group(), "county" if re.fullmatch(r".县", bare.group()) else None, bare=True))
            step = bare.end()
        pos += step
        if c[pos:pos + 1] != "、":
            break
        pos += 1
    return items, c[pos:]


def _sentence(text: str, pos: int) -> tuple[int, int]:
    lo = max(0, pos - 1000)
    last = max(text.rfind(ch, lo, pos) for ch in "。！？!?\n")   # rfind: no scan of the 1000 characters
    end = _SENTENCE.search(text, pos)
    return (last + 1 if last >= 0 else lo), (end.start() if end else len(text))


def _clause_place(page: _Page, m: Metric) -> dict | None:
    text = page.text
    s_start, s_end = _sentence(text, m.start)
    sentence = text[s_start:s_end]
    at = _figure_at(text, m) - s_start
    bounds = [0] + [x.end() for x in _CLAUSE.finditer(sentence)] + [len(sentence) + 1]
    # A paragraph that opens with a place is about it: 市中院受理506件。其中…。审结502件。
    subject = _paragraph_subject(page, s_start)
    courts = page.courts or any(_is_stem(x.group(1)) for x in re.finditer(rf"({_NAME}){_COURT}", sentence))
    pairs: list[_Item] = []
    confirmed = None
    for a, b in zip(bounds, bounds[1:]):
        if a > at:
            break
        clause = sentence[a:b - 1]
        if b - 1 >= at:   # the figure's own clause
            if pairs and _SUM.match(clause):
                return _place(pairs, listed=True)
            pair = _pair(clause[:at - a])
            if pair:
                return _place([pair], listed=True)
            after = _after(clause[at - a:])
            if after:
                return _place(after, listed=True)
        pairs = _pairs(clause)
        found = _opener(page, clause)
        if found and found[0] == "court" and not courts:   # 市中院 alone: the report's own court
            found = "area", []
        if found and any(i.bare for i in found[1]):
            # A list of short words is a list of places only where the page counts it (三市, 两个县).
            if confirmed is None:
                confirmed = bool(_COUNT.search(sentence)) or _paragraph_counts(text, s_start)
            found = found if confirmed else None
        if found and found[0] == "area" and found[1] and _same_area(page, subject, found[1][0]):
            found = None   # 绵阳市出台…，全市评查案卷4332件 on a province's page: 全市 is 绵阳市
        if found:
            subject = found
    if subject is None or subject[0] == "area":
        return None
    kind, items = subject
    if len(items) > 1:
        nth = _nth_value(sentence, at)
        if nth is not None and nth < len(items):
            return _place([items[nth]], listed=True)
        return _place(items, listed=True)
    # A place two levels below the report's own (a county on a province's page) is not its own.
    deeper = bool(page.own_rank and items[0].level and _RANK[items[0].level] - page.own_rank >= 2)
    # Written under the report's own name (北京市昌平区 on 北京市's page): one of its divisions.
    under = kind == "place" and any(o + items[0].name in sentence for o in set(_places_in(page.own)))
    return _place(items, listed=kind in ("court", "bodies") or deeper or under)


def _same_area(page: _Page, subject, whole: _Item) -> bool:
    """Whether 全市/全县 names the place the sentence is about rather than the report's own area."""
    one = subject and subject[0] == "place" and len(subject[1]) == 1 and whole.level == subject[1][0].level
    return bool(one) and 0 < page.own_rank < _RANK[whole.level]


def _paragraph_subject(page: _Page, s_start: int) -> tuple[str, list[_Item]] | None:
    """The place or court the first clause of the paragraph names, for its later sentences."""
    start = page.text.rfind("\n", 0, s_start) + 1
    if start == s_start:
        return None
    if start not in page.openers:
        first = _CLAUSE.split(page.text[start:_sentence(page.text, start)[1]], 1)[0]
        found = _opener(page, first)
        one = found and len(found[1]) == 1 and not found[1][0].bare
        page.openers[start] = found if one and (found[0] == "place" or found[0] == "court" and page.courts) else None
    return page.openers[start]


def _figure_at(text: str, m: Metric) -> int:
    """Where the figure itself stands: the last number of the evidence (its phrase comes first)."""
    nums = find_numbers(text[m.start:m.end])
    return m.start + (nums[-1].start if nums else 0)


def _nth_value(sentence: str, at: int) -> int | None:
    """Which value of a 分别为 x、y、z list the figure at `at` is (0 for x)."""
    seps = list(_SEVERAL.finditer(sentence, 0, at))
    if not seps:
        return None
    sep = seps[-1].end()
    values = [n for n in find_numbers(sentence[sep:]) if n.start + sep <= at]
    gaps = [sentence[sep + a.end:sep + b.start] for a, b in zip(values, values[1:])]
    return len(values) - 1 if all(re.fullmatch(r"[件项起人次万亿元%余多]*、", g) for g in gaps) else None


def _after(rest: str) -> list[_Item] | None:
    """The places named right after a threshold figure: 超过300件的分别是A区法院、B县法院."""
    nums = find_numbers(rest)
    if not nums:
        return None
    rest = rest[nums[0].end:]
    m = _THEN.match(rest)
    if not m or "的" not in rest[:m.end()]:
        return None
    items, rest = _list(rest[m.end():])
    counted = bool(_COUNT.match(rest))   # 达到100%的有A、B、C等3个市
    return items if len(items) >= 2 and (counted or not any(i.bare for i in items)) else None


def _pair(before: str) -> _Item | None:
    """The place right before the figure in a list of pairs (…的地区依次为A 1370件、B 770件)."""
    if not _PAIRS.search(before):
        return None
    m = re.search(rf"(?:为|是|有|、)({_NAME}|{_STEM_CHAR}{{2,4}})$", before)
    if not m:
        return None
    named = _named(m.group(1), full=True)
    return named or _Item(m.group(1), None, bare=True)


def _pairs(clause: str) -> list[_Item]:
    """Every place of a clause of place-figure pairs, in order."""
    cue = _PAIRS.search(clause)
    if not cue:
        return []
    found = [_pair(clause[:cue.end() + n.start]) for n in find_numbers(clause[cue.end():])]
    return [i for i in found if i]


def _paragraph_counts(text: str, s_start: int) -> bool:
    """A bare list stands beside a counted one in its paragraph (济南、临沂两市…; 威海、东营均…)."""
    start = text.rfind("\n", 0, s_start) + 1
    end = text.find("\n", s_start)
    para = text[start:end if end >= 0 else len(text)]
    for m in re.finditer(r"(?:^|[，,。；;])", para):
        found, rest = _list(para[m.end():])
        if len(found) >= 2 and _COUNT.match(rest):
            return True
    return False
