"""Who issued or reports a text, in the fullest form it writes the name.

Best first: an organisation line under the title, the organisation a title opens with (or names
after a dash: ——某市司法局2022年工作综述), the signature, an organisation on the 来源/发布机构 line;
then what the text itself says: the body a news item quotes as its source (记者从省司法厅获悉,
某法院发布《…报告》), the body that names itself at the start of the opening (2023年,某区司法局在…),
a byline (■某区司法局局长 某某), and the site's own name above its navigation. A newspaper or
an account on the 来源 line (某某日报, 某某发布) is who posted the page, not who reports.
"""
from __future__ import annotations

import re

_ORG_END = ("人民政府", "政府", "办事处", "司法局", "委员会", "办公室", "局", "厅", "委", "办", "院",
            "中心", "街道", "管委会", "司法所", "大队", "支队")
_ORG_LINE = re.compile(r"^[\u4e00-\u9fff()（）]{4,40}$|^[省市县区州旗盟]政府$")   # 州政府 on a 发布机构 line
_ISO = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
# An organisation's name: a place or qualifier, then the word that makes it a body.
_BODY = (r"(?:人民政府办公室|人民政府|政府办公室|政府|中级人民法院|高级人民法院|人民法院|铁路运输中级法院|法院|中院|高院"
         r"|人民检察院|司法局|司法厅|司法部|[\u4e00-\u9fff]{2,6}部(?!门)|法制办公室|法制办|委员会|法学会|办事处|管委会|街道|[镇乡]"
         r"|[\u4e00-\u9fff]{1,8}?(?:[局厅]|中心|司法所)|[\u4e00-\u9fff]{2,12}?(?:领导小组|委员会)办公室"
         r"|(?:人民法院|法院|人民检察院|司法局|司法厅)(?:研究室|办公室|[\u4e00-\u9fff]{2,12}处))")
_ORG = r"[\u4e00-\u9fff]{0,24}?" + _BODY
# What a body that names itself goes on to do (2023年,某区司法局在…领导下 / 组织开展 / 多措并举).
_DOES = (r"在|坚持|深入|认真|紧紧|始终|以|全面|聚焦|围绕|积极|不断|着力|持续|审结|受理|共|发布|召开|立足|按照|根据"
         r"|严格|切实|牢固|扎实|大力|高度|紧扣|充分|主动|结合|紧密|把|组织|开展|举办|印发|出台|制定|推出|联合|多措"
         r"|通过|进一步|强化|加强|狠抓|突出|创新|全力|持续|抽调|$")
_SELF_ORG = re.compile(rf"^{_ORG}(?={_DOES})")
# A byline or the speaker's line under a report to a people's congress (市人大常委会法工委副主任 某某).
_BYLINE = re.compile(r"^[■●◆▲]?\s*(?P<org>[\u4e00-\u9fff]{4,30}?[局厅委院府办])(?:党组书记、)?"
                     r"副?(?:局长|厅长|院长|主任|区长|县长|市长|秘书长|检察长|处长)\s*[\u4e00-\u9fff]{2,4}$")
# A news item's source: 记者(今天)从省司法厅获悉, 据某局统计, 某法院发布《…》, 《某法院2017年…报告》对外发布.
_NEWS_SOURCE = [
    # A disclosure report names who compiled it: 由某局编制 / 某街道特编制2023年…年度报告 / 请与某厅联系.
    re.compile(rf"由(?P<org>{_ORG})(?:负责)?编制"),
    re.compile(rf"(?<![\u4e00-\u9fff])(?P<org>{_ORG})(?:特|现)?编制(?:了|本)?(?:\d{{4}}年度?)?[\u4e00-\u9fff]{{0,12}}年度报告"),
    re.compile(rf"请与(?P<org>{_ORG})联系"),
    re.compile(rf"(?:记者)?(?:[^,，。]{{0,12}})?从(?P<org>{_ORG})(?:获悉|了解到|得到)"),
    # 记者从市高级人民法院新闻发布会上获悉 / 从某局召开的通气会了解到: the body that held the meeting.
    re.compile(rf"(?:记者)?(?:[^,，。]{{0,12}})?从(?P<org>{_ORG})(?:召开|举行|举办)?的?"
               rf"(?:新闻发布会|发布会|通气会|座谈会|会议|工作会)上?(?:获悉|了解到|得到)"),
    re.compile(rf"据(?P<org>{_ORG})(?:统计|介绍|消息|数据)"),
    # 某院(下称某中院)召开新闻发布会: the short name in brackets is the same body.
    re.compile(rf"(?<![\u4e00-\u9fff])(?P<org>{_ORG})(?:[(（](?:下称|以下简称|简称)[^)）]{{1,12}}[)）])?"
               rf"(?:正式|近日|日前|今天|今日|\d{{1,2}}日)?(?:发布|公布|通报|召开|举行|制定印发)"),
    re.compile(rf"据(?P<org>{_ORG})[^,，。]{{0,12}}(?:介绍|表示|称|透露)"),
    re.compile(rf"(?<![\u4e00-\u9fff])(?P<org>{_ORG})(?:党组书记、)?(?:负责人|[副]?(?:厅长|局长|院长|主任))[\u4e00-\u9fff]{{0,3}}(?:介绍|表示)"),
    re.compile(rf"(?<![\u4e00-\u9fff])(?P<org>{_ORG})于[^,，。]{{0,16}}(?:召开|发布|举行)"),
    # Not a document cited as the ground (根据《某办关于…的通知》要求): that is a higher body's.
    re.compile(rf"(?<!根据|按照|依据|依照|落实|贯彻)《(?P<org>{_ORG})(?:\d{{4}}|关于|年度)"),
    re.compile(rf"(?:了解到|获悉|据悉|据介绍)[,，:：]?(?:\d{{4}}年度?[,，]?)?(?P<org>{_ORG})(?={_DOES})"),
    # 党史学习教育以来,某县司法局聚焦…: the body a news item's lead clause is about.
    re.compile(rf"(?:以来|年来|近年来|今年)[,，](?P<org>{_ORG})(?={_DOES})"),
    # 某院院长某某11月5日在…会议上作关于…的报告: the body whose head delivered the report.
    re.compile(rf"(?<![\u4e00-\u9fff])(?P<org>{_ORG})(?:党组书记、)?(?:院长|检察长|部长|厅长|局长|主任)"
               rf"[\u4e00-\u9fff]{{2,3}}(?:\d{{1,2}}月\d{{1,2}}日)?在[^。！？]{{0,40}}?(?:作|所作)"),
    # 某局将一年来的成效梳理成《…白皮书》: the body that compiled the document.
    re.compile(rf"(?<![\u4e00-\u9fff])(?P<org>{_ORG})将[^。！？]{{0,40}}?(?:梳理|汇编|编制|编印|整理)(?:成|为|形成)《"),
]
# A bulletin's masthead: 法院信息 某县人民法院研究室编印.
_MASTHEAD = re.compile(rf"(?<![\u4e00-\u9fff])(?P<org>{_ORG})编印")
_NOT_A_SOURCE = re.compile(r"记者|新闻|日报|晚报|报社|电视台|网站|发布会|政府新闻办|新闻办")
_TITLE_ORG = re.compile(r"^(.{4,40}?)(?:关于|\d{4}\s*年|[〇○二][〇○零一二三四五六七八九]{3}年|年度|法治|依法|召开|举办|开展"
                        r"|印发|发布|组织|部署|多措并举|扎实|全力|积极|推进|推动|深化|聚焦|“"
                        r"|行政复议工作|行政应诉工作|行政执法工作|政务公开工作|政府信息公开工作|普法工作|法律援助工作|人民调解工作)")   # 某局多措并举…: a news title
_TITLE_ORG_SPACED = re.compile(r"^(.{4,40}?)\s")   # 某院 行政案件司法审查年度报告 (2022)
# Only the long dash and a year after the body: on any head line, colons and spaces say too little.
_DASH_HEADING = re.compile(rf"——\s*(?P<org>{_ORG})(?=\d{{4}}年)")
_DASH_ORG = re.compile(rf"(?:——|—|:|：)\s*(?P<org>{_ORG})(?=\d{{4}}年|关于|年度|:|：|\s|$)")


_DIVISION = re.compile(r"[\u4e00-\u9fff]{2,12}(?:司法局|司法厅|人民法院|法院)(?:[\u4e00-\u9fff]{2,12}处|研究室)")


def is_org(s: str | None) -> bool:
    """One body (某县司法局), or bodies reporting jointly (中共某县委 某县人民政府, 某局、某局)."""
    if s and re.search(r"[ 、]", s):
        parts = [p for p in re.split(r"\s+|、", s.strip()) if p]
        return 2 <= len(parts) <= 4 and all(_one_org(p) for p in parts)
    return _one_org(s)


def _one_org(s: str | None) -> bool:
    if s and re.fullmatch(r"(?:中华人民共和国)?[\u4e00-\u9fff]{1,8}部", s):   # 司法部, 自然资源部: a ministry
        return True
    return bool(s) and bool(_ORG_LINE.match(s)) and s.endswith(_ORG_END) and "报告" not in s and "关于" not in s


def find_issuer(head, title: str | None, title_end: int, signature: str | None, page_source: str | None,
                opening: str | None, body: str) -> str | None:
    """head: the first lines as (offset, line); body: the start of the body text."""
    candidates: list[str] = []
    for pos, line in head:   # an organisation line right under the title (the document's own header)
        if pos >= title_end and line.strip():
            s = _before_labels(line.strip())
            if is_org(s):
                candidates.append(s)
                break
            if len(s) > 40 or not (_is_label_line(s) or re.search(_ISO, s) or len(s) <= 20):
                break
    if title and _DIVISION.fullmatch(title):   # a page headed by its office's name alone (某市司法局某处)
        candidates.append(title)
    masthead = next((m.group("org") for _, line in head[:6] for m in [_MASTHEAD.search(line)] if m), None)
    if masthead:   # 审判动态 某县人民法院研究室编印
        candidates.append(masthead)
    candidates += title_orgs(title)
    candidates += [s for s in (signature, page_source) if is_org(s) and not _NOT_A_SOURCE.search(s)]
    if candidates:
        best = candidates[0]
        for other in candidates[1:]:
            if other.endswith(best) and len(other) > len(best):
                best = other  # 天津市蓟州区司法局 over 蓟州区司法局
        return best
    found = _self_named(opening) or _news_source(body) or _byline(head) or _dash_line(head) or _site_name(head)
    return _fullest(found, " ".join(line for _, line in head) + body) if found else None


# 2025年度某街道法治政府建设情况报告 (a title), 2022年某街道法治政府建设工作，… (an opening): the body after the year.
_YEAR_ORG = re.compile(rf"^\d{{4}}\s*年度?\s*(?P<org>(?![全各本我该]){_ORG})(?=法治政府|依法行政|政府信息公开|法治建设)")


def title_orgs(title: str | None) -> list[str]:
    """The bodies a title names: the one it opens with (joint ones whole), one after a dash."""
    found = []
    if title:
        title = re.sub(r"^[\u4e00-\u9fff]{2,8}\s*[|｜]\s*", "", title)   # an outlet's column: 半月谈|某局：…
        m = _TITLE_ORG.match(title)
        spaced = _TITLE_ORG_SPACED.match(title)
        if m and is_org(m.group(1)):
            found.append(re.sub(r"\s+", " ", m.group(1)))
        elif spaced and is_org(spaced.group(1)) and not re.match(_ORG, title[spaced.end():]):
            found.append(spaced.group(1))   # not the first of two bodies (中共某镇委员会 某镇人民政府…)
        m = _YEAR_ORG.match(title)
        if m and is_org(m.group("org")):
            found.append(m.group("org"))
        m = _DASH_ORG.search(title) or re.match(rf"^(?P<org>{_ORG})(?=[:：])", title)
        if m and not _NOT_A_SOURCE.search(m.group("org")):
            found.append(m.group("org"))
    return found


def _fullest(org: str, text: str) -> str:
    """The longest form of org the text writes with a place before it (市司法局 -> 北京市司法局)."""
    best = org
    for m in re.finditer(rf"([\u4e00-\u9fff]{{2,12}}?(?:省|市|自治区|自治州|州|区|县))(?={re.escape(org)})", text):
        full = m.group(1) + org
        if len(full) > len(best) and not re.search(r"[，,。、]", full):
            best = full
    if org[0] in "省市区县" and best == org:
        pass
    return best


# Short forms of a body's kind and the full forms they stand for (北京四中院 = 北京市第四中级人民法院).
_KINDS = (
    (("高院", "高法院", "高级法院", "高级人民法院"), ("高级人民法院",)),
    (("中院", "中级法院", "中级人民法院"), ("中级人民法院",)),
    (("法院", "人民法院"), ("高级人民法院", "中级人民法院", "人民法院")),
    (("政府", "人民政府"), ("人民政府",)),
)


def written_in_full(org: str, text: str) -> str:
    """The full name the page writes for a body it also names in short: 北京四中院 ->
    北京市第四中级人民法院, 延边州政府 -> 延边朝鲜族自治州人民政府, 市司法局 -> 北京市司法局. The short
    form's characters appear in order in the full one, with the same kind of body; a generic short
    form (某法院) that fits two different bodies stays as written."""
    from .jurisdiction import place_mentions

    if org[0] in "省市区县州" and len(org) > 2:    # a body named by its level only
        found = place_mentions(text)
        for s, e, _ in found:
            if text[e - 1] == org[0] and text.startswith(org[1:], e):
                # under its city or province when the page writes them together (重庆市武隆区)
                s = next((a for a, b, alias in found if b == s and alias[-1] in "省市州盟"), s)
                return text[s:e] + org[1:]
        return org
    shorts, fulls = next(((sh, fu) for sh, fu in _KINDS if org.endswith(sh)), ((), ()))
    short = next((sh for sh in sorted(shorts, key=len, reverse=True) if org.endswith(sh)), None)
    if not short or len(org) == len(short):
        return org
    stem = org[:-len(short)]
    found: set[str] = set()
    for full in fulls:
        for m in re.finditer(re.escape(full), text):
            before = text[max(0, m.start() - 16):m.start()]
            for i in range(len(before) - 1, -1, -1):
                if re.search(r"[^\u4e00-\u9fff]", before[i]):
                    break
                if before[i] == stem[0] and _in_order(stem, before[i:]):
                    found.add(before[i:] + full)
                    break
    if len(found) == 1 or (found and len(fulls) == 1):
        return max(found, key=len)
    return org


def _in_order(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _before_labels(s: str) -> str:
    """某区人民政府 发布时间:2024-03-07 -> 某区人民政府; 2024-08-09 08:46 某市司法局 -> 某市司法局."""
    s = re.split(r"\s+(?:发布时间|发布日期|来源|日期|时间)\s*[:：]", s)[0].strip()
    return re.sub(rf"^{_ISO}\s*(?:\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?\s*", "", s).strip()


def _is_label_line(s: str) -> bool:
    return bool(re.search(r"(来源|发布时间|日期|索引号|发布机构|作者|浏览)", s))


# A body named by its level only (2024年,市政府坚持…; 县司法局在县委…领导下): as the text writes it.
_LEVEL_ORG = re.compile(rf"^(?:(?:省|市|县|区|州|旗|盟|自治区)(?:人民政府办公室|人民政府|政府|司法局|司法厅|人民法院|中级人民法院"
                        rf"|高级人民法院|法院|法制办|[\u4e00-\u9fff]{{1,6}}?[局厅委办])|司法厅|司法局)(?={_DOES})")


def _self_named(opening: str | None) -> str | None:
    from .opening import lead_clauses, subject_clause

    m = re.search(rf"现将(?P<org>{_ORG})(?:\d{{4}}|[〇○二][〇○零一二三四五六七八九]{{3}})年", opening or "")
    if m and not m.group("org").startswith(("本", "我", "该")):   # 现将省政府2023年度…情况报告如下
        return m.group("org")
    m = _YEAR_ORG.match(opening or "")
    if m and is_org(m.group("org")):
        return m.group("org")
    found = subject_clause(opening or "")
    if found:
        m = _SELF_ORG.match(found[1])
        if m and "报告" not in m.group():
            return m.group()
    for clause in lead_clauses(opening or "", 3):
        m = _LEVEL_ORG.match(clause)
        if m:
            return m.group()
    return None


def _news_source(body: str) -> str | None:
    for pattern in _NEWS_SOURCE:
        for m in pattern.finditer(body[:600]):
            org = re.sub(r"^(?:记者|今天|今日|近日|日前|昨天|\d{1,2}月\d{1,2}日|日(?=[从在])|[从在]|[(（][^)）]*[)）])+", "",
                         m.group("org"))   # 记者15日从某院召开的…: the org after the preposition
            if len(org) >= 3 and not _NOT_A_SOURCE.search(org):
                return org
    return None


def _byline(head) -> str | None:
    for _, line in head[:12]:
        m = _BYLINE.match(line.strip())
        if m:
            return m.group("org")
    return None


def _dash_line(head) -> str | None:
    """A heading the title reader passed over that names its body after a dash (——某局2022年工作综述)."""
    for line in [line for _, line in head if line.strip()][:12]:
        m = _DASH_HEADING.search(line)
        if m and not _NOT_A_SOURCE.search(m.group("org")):
            return m.group("org")
    return None


def _site_name(head) -> str | None:
    """A site's own name as its first line, above its navigation (某区司法局 / 首页 | 政务公开)."""
    lines = [line.strip() for _, line in head[:6] if line.strip()]
    if len(lines) >= 2 and is_org(lines[0]) and re.search(r"首页|政务公开|信息公开|网站|导航", " ".join(lines[1:4])):
        return lines[0]
    return None
