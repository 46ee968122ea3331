"""What kind of document a text is: an annual rule-of-law report, another government report,
a news item, a statistics table, or something else. Every kind is extracted; the marts use the
kind to prefer annual reports and to say where a figure came from.

The headline decides first: a government names its documents by type (...情况的报告,
...工作总结, ...统计表, ...的通知), a news headline names an event (召开, 举办, 获评). When the
headline says nothing, the shape of the text decides (table rows; a news lead such as 近日, 记者,
本报讯; a report's 现将...报告如下 or its 成效/问题/下一步 sections; a short narrative under a
来源/发布时间 header). The page's column (工作动态, 统计数据) breaks a remaining tie.
"""
from __future__ import annotations

import re

from ingest.read import cjk_count

KINDS = ("annual_report", "other_report", "news", "statistics", "other")

HEAD_LINES = 15        # the headline sits in the first lines, under the page chrome
NEWS_MAX_CJK = 1500    # a news item is a short narrative; reports run to thousands of characters

_RULE_OF_LAW = re.compile(r"法治政府|法治建设|依法行政|法治.{0,6}建设")
_SUBJECT = re.compile(r"法治政府建设|法治建设|依法行政")
# Trailing decorations that do not change what a title names: (全文), (征求意见稿), punctuation.
_DECORATION = re.compile(r"(?:[(（【\[][^()（）【】\[\]]{1,8}[)）】\]]|[\s。.!！:：;；》>])+$")
# A report names itself last; "...工作总结和2024年工作计划" is still a report.
_REPORT_END = re.compile(r"(报告|报告书|总结|白皮书|汇报)$|(报告|总结).{0,20}(计划|打算|思路|安排)$")
# Governments publish the annual report under several names: …情况的报告, …工作总结, …建设情况.
_ANNUAL_END = re.compile(r"(报告|报告书|总结)$")
# What only a news headline does: tell of an event, a meeting, an award, a release.
_NEWS_TITLE = re.compile(r"召开|举行|举办|审议|听取|亮相|获评|荣获|获批|入选|走进|座谈会|揭牌|签约|观摩|宣讲|"
                         r"慰问|开展.{0,15}活动|快讯|简讯|纪实|侧记|(发布|出炉|公布|出台)$")
_STATS_TITLE = re.compile(r"统计|数据|一览表|汇总表|情况表|明细表")
# Documents that are neither reports nor news: notices, rules, plans.
_OTHER_TITLE = re.compile(r"(通知|通告|公告|公示|意见|办法|规定|细则|方案|要点|规划|计划|决定|批复|函|纪要|目录|指南)$")

# Page chrome above a headline: breadcrumbs, date/source/index lines.
_CHROME = re.compile(r"[>＞»›]|位置|^首页|^[\[【]|^(来源|发布|日期|时间|索引号|发文|成文|主题分类|体裁|浏览|阅读|分享|字号)|"
                     r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")
_HEADER = re.compile(r"(来源|发布时间|发布日期|发布机构|信息来源|日期)\s*[\]】]?\s*[:：]")
_NEWS_LEAD = re.compile(r"^[(（【]?(本报讯|本网讯|[^\s。，,]{0,12}讯[)）】\s]|近日|日前|近期|昨天|昨日|今天|今日|"
                        r"\d{1,2}月\d{1,2}日[上下午,，])")
_BYLINE = re.compile(r"记者|通讯员|责任编辑")
_REPORT_PHRASE = re.compile(r"现将[^。]{0,60}报告如下|特此报告|现将[^。]{0,60}总结如下")
_SECTION = r"^\s*[一二三四五六七八九十]+、[^。]{0,30}"
_RESULTS_HEAD = re.compile(_SECTION + r"(成效|做法|举措|主要工作|完成情况|基本情况)")
_LATER_HEAD = re.compile(_SECTION + r"(问题|不足|下一步|打算|计划|思路|安排)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_NEWS_COLUMN = re.compile(r"新闻|动态|要闻|资讯|媒体|图片|视频")
_STATS_COLUMN = re.compile(r"统计|数据")
_ANNUAL_COLUMN = re.compile(r"法治政府建设年度报告|法治政府年度报告")


def classify(text: str, title: str | None = None, context: dict[str, str] | None = None) -> str:
    """The kind of one document. `title` is the metadata title (None when metadata found no
    rule-of-law title); `context` is a saved page's context (page_title, breadcrumb, meta tags)."""
    context = context or {}
    lines = [s for s in (ln.strip() for ln in text.split("\n")) if s]
    head = lines[:HEAD_LINES]
    candidates, body_from = _headlines(head, title)
    page_title = context.get("meta:ArticleTitle") or context.get("page_title")
    if page_title:
        candidates.append(re.split(r"[_|｜]| - ", page_title)[0].strip())
    for candidate in candidates:
        kind = _from_title(candidate)
        if kind:
            return kind
    if _is_table(lines):
        return "statistics"
    body = lines[body_from:]
    headed = any(_HEADER.search(s) for s in head)
    rule_of_law_head = any(_RULE_OF_LAW.search(c) for c in candidates)
    return _from_shape(body, headed, rule_of_law_head) or _from_column(body, head, context) or "other"


def _headlines(head: list[str], title: str | None) -> tuple[list[str], int]:
    """Headline candidates (the metadata title first, then short non-chrome lines above the
    first sentence) and the index of the body's first line."""
    candidates = [title] if title else []
    body_from = 0
    for i, s in enumerate(head):
        chrome = _CHROME.search(s) or _is_row(s)
        if not chrome and (re.search(r"[。；;]", s) or len(s) > 80):
            break  # the first sentence: the body has begun
        body_from = i + 1
        if len(s) >= 4 and not chrome and s not in candidates:
            candidates.append(s)
    return candidates[:4], body_from


def _from_title(title: str) -> str | None:
    t = _DECORATION.sub("", title.strip()).lstrip("《<")
    formal = t.startswith("关于")  # 关于...的报告 is an official document, never a headline
    if not formal and _NEWS_TITLE.search(t):
        return "news"
    if _RULE_OF_LAW.search(t) and re.search(r"(?:工作)?情况$", t) and re.search(r"\d{4}|年度", t):
        return "annual_report"
    if _REPORT_END.search(t):
        return "annual_report" if _RULE_OF_LAW.search(t) and _ANNUAL_END.search(t) else "other_report"
    if _STATS_TITLE.search(t):
        return "statistics"
    if _OTHER_TITLE.search(t):
        return "other"
    return None


def _from_shape(body: list[str], headed: bool, rule_of_law_head: bool) -> str | None:
    if not body:
        return None
    if _NEWS_LEAD.search(body[0]) or _BYLINE.search(" ".join(body[:3])[:300]):
        return "news"
    text = "\n".join(body)
    phrase = _REPORT_PHRASE.search(text)
    if phrase or _has_report_sections(body):
        # About rule of law: its headline or 现将...报告如下 says so, or the body keeps naming it
        # (a passing 法治政府 in the boilerplate opening of any 司法局 text does not count).
        said = rule_of_law_head or (phrase and _RULE_OF_LAW.search(phrase.group()))
        return "annual_report" if said or len(_SUBJECT.findall(text)) >= 3 else "other_report"
    if headed and cjk_count(text) < NEWS_MAX_CJK:
        return "news"  # a page header over a short narrative
    return None


def _is_row(s: str) -> bool:
    """A table row: three cells or more (| or tab separated)."""
    return s.count("|") + s.count("｜") >= 2 or s.count("\t") >= 2


def _is_table(lines: list[str]) -> bool:
    # Rows, or short lines of figures without a sentence (a table whose separators were lost).
    rows = sum(1 for s in lines if _is_row(s) or (len(_NUMBER.findall(s)) >= 2 and len(s) <= 60 and "。" not in s))
    return rows >= 3 and rows >= 0.4 * len(lines)


def _has_report_sections(body: list[str]) -> bool:
    """A results section (成效, 做法) followed by a problems or plans section (问题, 下一步)."""
    results = next((i for i, s in enumerate(body) if _RESULTS_HEAD.search(s)), None)
    return results is not None and any(_LATER_HEAD.search(s) for s in body[results + 1:])


def _from_column(body: list[str], head: list[str], context: dict[str, str]) -> str | None:
    """The page's column, when nothing else decided: where the publisher filed the text."""
    column = " ".join([context.get("breadcrumb", ""), context.get("meta:ColumnName", ""),
                       *(s for s in head if re.search(r"[>＞»›]|位置", s))])
    long = cjk_count("\n".join(body)) >= NEWS_MAX_CJK
    if _ANNUAL_COLUMN.search(column) and long:
        return "annual_report"
    if _STATS_COLUMN.search(column):
        return "statistics"
    if _NEWS_COLUMN.search(column) and not long:
        return "news"
    return None
