"""Report metadata from the text's head and tail: title, year, publication date, issuer, URL,
and the evidence the jurisdiction is resolved from (title/issuer, page source, signature,
the opening paragraph's subject, the site)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ingest.text.numbers import parse_numeral

from .fields import Field, is_field_line, labels_in, read_fields
from .issuer import written_in_full, find_issuer, is_org, title_orgs
from .titles import clean_title

HEAD_LINES = 60
_FORMAL = frozenset({"发布机构", "发文机构", "发文机关", "发文单位", "发布单位", "制发机关", "成文机关"})
_TITLE = re.compile(r"(法治政府|法治建设|依法行政|法治.{0,6}建设).{0,30}(报告|情况)")
_ANNUAL = re.compile(r"(法治政府|法治建设|依法行政|法治.{0,6}建设).{0,30}报告|年度报告")
_ISO = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
_CN_DATE = re.compile(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
# Lines that are page furniture, never a title.
_CHROME = re.compile(r"[>＞»›]|位置|^首页|登录|注册|无障碍|English|繁体|简体|网站|政府网|门户|打印本页|关闭窗口"
                     r"|[【\[](?:打印|关闭|收藏)|加入收藏|分享到|扫一扫|微信|微博|版权所有|ICP|备案号|主办单位|承办单位"
                     r"|技术支持|联系我们|^附件|\s\|\s")
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．]|第[一二三四五六七八九十]+)")
# Column names (法治政府建设年度报告, 政务动态) are built from these words only; a title says more.
_STOCK = re.compile(r"法治政府|法治建设|依法行政|法治|建设|年度|工作|情况|报告|的|关于|和|及|政务|信息|公开|新闻|动态"
                    r"|要闻|通知|公告|政策|文件|专题|专栏|人民政府|政府|\s")
# A place alone on the heading's first line (石家庄市栾城区 / 2025年…年度报告).
_PLACE_LINE = re.compile(r"[\u4e00-\u9fff]{2,20}(?:省|市|县|区|旗|盟|州|街道|镇|乡)")
_SPECIFIC = re.compile(r"\d{4}\s*年|[〇○二][〇○零一二三四五六七八九]{3}年|[省市县区旗镇乡]|街道|局|厅|委员会|政府|法院|检察院")


@dataclass
class Metadata:
    title: str | None
    report_year: int | None
    published_on: date | None
    issuer: str | None
    source_url: str | None
    page_source: str | None       # 来源/发布机构 as the page states it
    body_start: int               # offset where the report body begins (after title/meta lines)
    signature: str | None = None  # the organisation signing at the end
    opening: str | None = None    # the body's first paragraph
    warnings: list[str] = field(default_factory=list)

    def place_evidence(self, context: dict[str, str], header: str = "") -> tuple[list[list[str]], list[str]]:
        """Tiers of strings that may name the reporting body, best first, and the page context
        that only narrows ambiguous names (see jurisdiction.resolve_tiers)."""
        from .opening import reported_as, subject_of

        site = [context.get(k) for k in ("meta:SiteName", "page_title", "breadcrumb")]
        # The title first: an issuer read from a 来源 line may be whoever posted the page.
        # A newspaper or a site on the 来源 line (新民晚报, 河北新闻网) names no place of the report.
        source = None if self.page_source and re.search(r"日报|晚报|早报|报社|新闻网|网站|电视台|客户端|公众号|[^\s]报$|网[-—－]",
                                                         self.page_source) else self.page_source
        # Where a meeting was held (全区法律援助工作会议在南宁召开) is no place of the report.
        title = re.sub(r"在[\u4e00-\u9fff]{2,12}?(?=召开|举行|举办|开幕|闭幕)", "", self.title or "") or None
        tiers = [[title], [self.issuer], [source], [self.signature],
                 [reported_as(self.opening or "") or subject_of(self.opening or "")], site]
        context_strings = [source, *context.values(), header, self.opening]
        return [[s for s in t if s] for t in tiers], [s for s in context_strings if s]


def extract_metadata(text: str, context: dict[str, str] | None = None) -> Metadata:
    context = context or {}
    lines = _lines_with_offsets(text)
    head = lines[:HEAD_LINES]
    limit = _first_paragraph(head)
    fields = read_fields([line for _, line in head[:limit]])
    found = _title(head[:limit], fields, context)
    if found is None:
        # A paragraph of page furniture (欢迎访问…) may come first: a report heading further down,
        # with the labels under it.
        found = _heading(head, report=True)
        if found:
            limit = _first_paragraph(head, after=found[1])
            fields = read_fields([line for _, line in head[:limit]])
    title, title_end = found or (None, 0)
    body_start = _body_start(lines, title_end)
    opening = _opening(text, body_start)
    published = _published(fields, head[:limit], context) or _signature_date(lines)
    prose = "\n".join(ln for ln in text[body_start:body_start + 800].split("\n") if " | " not in ln)
    year, implausible = _report_year(title, prose, published)   # a table's 2022年 | 2023年 header is no opening
    sources = [f.value for f in fields if f.kind == "source" and f.value]
    page_source = next((s for s in sources if is_org(s)), sources[0] if sources else None) \
        or context.get("meta:ContentSource")
    signature = _signature(lines)
    # 发文机构/发布机构 name the issuer formally; 来源 may be whoever posted the page.
    formal = next((f.value for f in fields if f.label in _FORMAL and is_org(f.value)), None)
    found = find_issuer(head, title, title_end, signature, page_source, opening, text[body_start:body_start + 800])
    # The body a title or signature names reports; the label may name the office that posted the
    # page (人民政府办公室 under 人民政府关于…的报告). The same body named twice: the longer.
    named = bool(title_orgs(title)) or is_org(signature)
    issuer = found if formal is None or named or (found and found[-2:] == formal[-2:] and len(found) > len(formal)) \
        else formal
    if issuer:
        issuer = written_in_full(issuer, text[:body_start + 3000])
    urls = [f.value for f in fields if f.kind == "url" and f.value]
    url = context.get("url") or context.get("meta:Url") or (urls[0] if urls else None)
    warnings = [implausible] if implausible else []
    return Metadata(title, year, published, issuer, url, page_source, body_start, signature, opening, warnings)


def _lines_with_offsets(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _first_paragraph(head, after: int = 0) -> int:
    """Index of the first body paragraph (from offset `after`): titles and labels come before it."""
    for i, (pos, line) in enumerate(head):
        s = line.strip()
        if pos >= after and len(s) >= 40 and re.search(r"[。，；,;]", s) and not is_field_line(s):
            return i
    return len(head)


# ---- title -------------------------------------------------------------------------------

def _title(head, fields: list[Field], context) -> tuple[str, int] | None:
    """The report heading (two lines joined when split), else the labelled 标题, else a news or
    statistics heading; the page <title> and breadcrumb only when the text has none. Only the
    lines before the first paragraph (the caller tries a report heading further down last)."""
    found = _heading(head, report=True) or next(
        ((clean_title(f.value), head[f.line][0] + len(head[f.line][1])) for f in fields
         if f.kind == "title" and _heading_like(clean_title(f.value))), None) or _heading(head, report=False)
    if found:
        return found
    for key in ("meta:ArticleTitle", "page_title"):
        meta = clean_title(re.split(r"_|--|\s[-－|–—]\s|\|", context.get(key) or "")[0])
        if meta and _heading_like(meta) and (key == "meta:ArticleTitle" or _is_report_title(meta)):
            return meta, 0
    first = next(((pos, line.strip()) for pos, line in head if line.strip()), None)
    if first and len(first[1]) > 80:  # a page saved without line breaks: its title is a word of the head
        for m in re.finditer(r"\S+", first[1][:300]):
            if _is_report_title(m.group()):
                return m.group(), first[0] + m.end()
    crumb = re.split(r"[>＞»›]", context.get("breadcrumb") or "")[-1].strip()
    if _is_report_title(crumb):
        return crumb, 0
    return None


def _heading(head, report: bool) -> tuple[str, int] | None:
    # A date printed on the title's line (标题 2024-03-01) is not part of it.
    nonempty = [(i, pos, clean_title(re.sub(rf"\s+{_ISO}.*$", "", line.strip())))
                for i, (pos, line) in enumerate(head) if line.strip()]
    for n, (i, pos, s) in enumerate(nonempty):
        if not _heading_like(s) and not is_org(s) and not _PLACE_LINE.fullmatch(s):
            continue
        nxt = nonempty[n + 1] if n + 1 < len(nonempty) else None
        adjacent = nxt and nxt[1] - (pos + len(head[i][1])) <= 3   # at most two blank lines between
        joined = _joined(s, nxt[2]) if adjacent else None
        if joined and (_is_report_title(joined) if report else _heading_like(joined)):
            return joined, nxt[1] + len(head[nxt[0]][1])
        if (_is_report_title(s) if report else _heading_like(s) and not is_org(s)):
            if s.startswith("关于") and n and is_org(nonempty[n - 1][2]):
                return nonempty[n - 1][2] + s, pos + len(head[i][1])
            return s, pos + len(head[i][1])
    return None


def _joined(first: str, second: str) -> str | None:
    """A heading split over two lines: the organisation, then 关于… or the rest of the title;
    or a title cut before its end (…关于2023年度法治政府 / 建设情况的报告)."""
    if not _plain(second) or is_org(second) or len(second) > 50:
        return None
    if (is_org(first) or _PLACE_LINE.fullmatch(first)) and (re.match(r"关于|\d{4}|[〇○二][〇○零一二三四五六七八九]{3}|年度", second)
                           or _TITLE.search(second)):
        return first + second
    if _heading_like(first) and not _TITLE.search(first) and _TITLE.search(first + second) \
            and not _TITLE.search(second) and re.search(r"(报告|情况)$", second):
        return first + second
    return None


def _heading_like(s: str) -> bool:
    s = s.strip()
    return 6 <= len(s) <= 80 and _plain(s) and sum("\u4e00" <= c <= "\u9fff" for c in s) >= 6 \
        and bool(_SPECIFIC.search(s)) and len(_STOCK.sub("", s)) >= 3


def _is_report_title(s: str) -> bool:
    """A rule-of-law report title naming whose or which year (a column called 法治政府建设年度报告
    is not one)."""
    return 8 <= len(s) <= 80 and bool(_TITLE.search(s)) and _heading_like(s)


def _plain(s: str) -> bool:
    """A line that could be (part of) a heading: no sentence, label, list number or page furniture."""
    return (not re.search(r"[。；;！!？?]|[：:]$", s) and len(re.findall("[，,]", s)) <= 1
            and not _CHROME.search(s) and not _NUMBERED.match(s) and not is_field_line(s)
            and len(re.sub(r"\s*[(（]\d{4}[)）]$", "", s).split()) < 3)   # 某院 年度报告 (2022): a year in brackets


# ---- dates and year ----------------------------------------------------------------------

def _published(fields: list[Field], head, context) -> date | None:
    """发布日期 first, then the page's meta date, 成文日期, other labelled dates, then a date
    standing in the header."""
    for kind in ("published", "meta", "written", "date"):
        if kind == "meta":
            found = _first_date(context.get("meta:PubDate") or context.get("meta:publishdate") or "")
        else:
            found = next((d for f in fields if f.kind == kind for d in [_first_date(f.value)] if d), None)
        if found:
            return found
    for _, line in head:
        s = line.strip()
        labels = labels_in(s)
        s = s[:labels[0].start()] if labels else s  # "2024-03-15 10:23 来源：…": the date before the labels
        if len(s) < 60 and not _TITLE.search(s) and not re.search(r"星期|礼拜", s):   # a site's clock
            found = _first_date(s)
            if found:
                return found
    return None


_DMY = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d.])")   # 19.09.2015 09:57, as some sites print it


def _first_date(s: str) -> date | None:
    m = re.search(_ISO, s)
    if m:
        return _date(*m.groups())
    m = _DMY.search(s)
    if m:
        return _date(m.group(3), m.group(2), m.group(1))
    m = _CN_DATE.search(s)
    return _date(_cn_year(m.group(1)), parse_numeral(m.group(2)), parse_numeral(m.group(3))) if m else None


def _signature_date(lines) -> date | None:
    for _, line in reversed(lines[-25:]):
        s = line.strip()
        m = re.fullmatch(rf"(.*?)\s*(?:{_ISO}|{_CN_DATE.pattern})", s)
        if m and (not m.group(1) or is_org(m.group(1))):
            return _first_date(s)
    return None


def _date(y, m, d) -> date | None:
    try:
        found = date(int(y), int(m), int(d))
    except (TypeError, ValueError):
        return None
    return found if found.year >= 1990 else None


_YEAR = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(?=\s*年)|([二一][〇零○一二三四五六七八九]{3})(?=年)")


_RELATIVE_YEAR = re.compile(r"(?P<last>去年|上年度?)(?!同期|以来)|今年|本年度?|截至目前|前[一二三四五六七八九十\d]{1,2}个?月"
                            r"|[上下]半年|(?<![\d年])(?:[1-9]|1[0-2])月份")
FIRST_YEAR = 2000   # no report year before this is plausible (the first reports date from 2004)


def _report_year(title: str | None, opening: str, published: date | None) -> tuple[int | None, str | None]:
    """The year reported on: the title's, else the opening's; never a plan period, a law's year,
    a target or a since-year; between 2000 and the publication year (this year when unknown).
    With a reason when the only year found lies outside that range."""
    last = published.year if published else date.today().year
    outside = None
    for source in (title or "", opening):
        # A text about a span it names (合肥法院2020年-2022年行政审判白皮书) reports on its last year.
        spans = [(a, b) for a, b in _spans(source) if FIRST_YEAR <= a < b <= last]
        for year in _years(source, published):
            if FIRST_YEAR <= year <= last:
                return next((b for a, b in spans if a <= year < b), year), None
            outside = outside or year
    if published and title and _ANNUAL.search(title):
        year = published.year - 1  # an annual report is about the year before it is published
        if FIRST_YEAR <= year <= last:
            return year, None
        outside = outside or year
    if published and outside is None:
        # A dated news item that names no year: 去年全市… is the year before the date, 今年以来 its own.
        for source in (title or "", opening):
            m = _RELATIVE_YEAR.search(source)
            if m:
                year = published.year - (1 if m.group("last") else 0)
                if FIRST_YEAR <= year <= last:
                    return year, None
    return None, f"report year {outside} outside {FIRST_YEAR}..{last}: left empty" if outside else None


def _spans(s: str) -> list[tuple[int, int]]:
    s = re.sub(r"《[^》]*》|“[^”]*”|[(（][^)）]*[)）]", " ", s)   # not a plan's period: 纲要(2021—2025年)
    return [(int(a), int(b)) for a, b in re.findall(r"(?<!\d)((?:19|20)\d{2})\s*年?\s*[-—–~～至到－]+\s*((?:19|20)\d{2})\s*年", s)]


def _years(s: str, published: date | None):
    s = re.sub(r"《[^》]*》|“[^”]*”|〈[^〉]*〉", lambda m: " " * len(m.group()), s)
    for m in _YEAR.finditer(s):
        year = int(m.group(1)) if m.group(1) else _cn_year(m.group(2))
        before, after = s[max(0, m.start() - 12):m.start()], s[m.end():m.end() + 12]
        if re.match(r"\s*年?\s*[-—–~～至到－]+\s*(?:\d{4}|[二一][〇零○一二三四五六七八九]{3})", after) \
                or re.search(r"(?:\d{4}|[〇零○一二三四五六七八九]{3})\s*年?\s*[-—–~～至到－]+\s*$", before):
            continue  # a plan period: 2021—2025年
        if re.search(r"(?:自|从|由|到|(?<!截)至)\s*$", before) or re.match(r"\s*年(?:版|修订|修正|修改|颁布|施行|宪法)", after) \
                or re.match(r"\s*年度?\s*(?:至|到)今", after):   # 2016年至今: a since-year
            continue  # since-, target and law years
        if re.match(r"\s*年以来", after) and not (published and year >= published.year - 1):
            continue
        # A journal's issue (《法治四川》2025年第1期) or a site's clock (2019年12月3日星期二) is not
        # the year reported on.
        if re.match(r"\s*年第[\d一二三四五六七八九十]+期|\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:星期|礼拜)", after):
            continue
        yield year


def _cn_year(s: str) -> int:
    return int("".join(str(int(parse_numeral(c.replace("○", "〇")) or 0)) for c in s))


# ---- issuer, signature, body -------------------------------------------------------------


def _signature(lines) -> str | None:
    """The organisation line right above the closing date (or before it on its line), or ending
    the text."""
    # A source credit in brackets ends a news item: (安乡县司法局).
    tail = [line.strip().strip("()（）") for _, line in lines[-25:] if line.strip()]
    for n in range(len(tail) - 1, -1, -1):
        m = re.fullmatch(rf"(.*?)\s*(?:{_ISO}|{_CN_DATE.pattern})", tail[n])
        if m and is_org(m.group(1)):
            return m.group(1)
        if m and not m.group(1) and n and is_org(tail[n - 1]):
            return tail[n - 1]
    return tail[-1] if tail and is_org(tail[-1]) else None


def _body_start(lines, title_end: int) -> int:
    start = title_end
    for pos, line in lines:
        if pos + len(line) < title_end:
            continue
        if pos < title_end:
            if line[title_end - pos:].strip():
                return title_end  # a page saved as one line: the body follows its title
            continue
        s = line.strip()
        dated = re.search(_ISO, s) and len(s) < 60
        labelled = (is_field_line(s) or re.search(r"(来源|发布时间|日期|索引号|发布机构)", s)) and len(s) < 80
        if not s or is_org(s) or dated or labelled or re.match(r"^关于.*报告$", s):
            start = pos + len(line) + 1
            continue
        break
    return min(start, lines[-1][0] if lines else 0)


def _opening(text: str, body_start: int) -> str | None:
    """The first paragraph of the body (a salutation or a section heading is not one)."""
    for line in text[body_start:body_start + 3000].split("\n"):
        s = line.strip()
        # A headline (这份白皮书,有何大不同?) or a row of cells is no paragraph.
        if " | " in s or re.search(r"[?？!！]$", s) and "。" not in s:
            continue
        if len(s) >= 15 and re.search(r"[，。,]", s) and not (len(s) < 30 and s.endswith(("：", ":"))):
            return s[:300]
    return None
