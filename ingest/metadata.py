"""Report metadata from the text's head and tail: title, year, publication date, issuer, URL."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .numbers import parse_numeral

HEAD_LINES = 40
_TITLE = re.compile(r"(法治政府|法治建设|依法行政|法治.{0,6}建设).{0,30}(报告|情况)")
_ORG_END = ("人民政府", "政府", "办事处", "司法局", "委员会", "办公室", "局", "厅", "委", "办", "院",
            "中心", "街道", "管委会")
_ORG_LINE = re.compile(r"^[\u4e00-\u9fff()（）]{4,40}$")
_ISO = r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
# Page date labels, best first: the publication date the page gives.
_DATE_LABELS = ("发布日期", "发布时间", "日期", "时间", "成文日期")
_CN_DATE = re.compile(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")


@dataclass
class Metadata:
    title: str | None
    report_year: int | None
    published_on: date | None
    issuer: str | None
    source_url: str | None
    page_source: str | None       # 来源/发布机构 as the page states it
    body_start: int               # offset where the report body begins (after title/meta lines)


def extract_metadata(text: str, context: dict[str, str] | None = None) -> Metadata:
    context = context or {}
    lines = _lines_with_offsets(text)
    head = lines[:HEAD_LINES]
    title, title_end = _title(head, context)
    published = _page_date(head, context) or _signature_date(lines)
    body_start = _body_start(lines, title_end)
    # The year from the title, else from the body's opening (never from page dates above it).
    year = _report_year(title, text[body_start:], published)
    page_source = _labelled(head, ("来源", "发布机构", "信息来源", "发文机关")) or context.get("meta:ContentSource")
    issuer = _issuer(lines, head, title, title_end, page_source)
    url = context.get("url") or context.get("meta:Url") or _labelled(head, ("原文链接", "网址", "链接"))
    return Metadata(title, year, published, issuer, url, page_source, body_start)


def _lines_with_offsets(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _title(head, context) -> tuple[str | None, int]:
    previous = ""
    for pos, line in head:
        s = line.strip()
        # Breadcrumbs ("首页 > 信息公开 > 法治政府建设年度报告") name the column, not the report.
        if re.search(r"[>＞»›]|位置|^首页", s):
            continue
        if 8 <= len(s) <= 80 and _TITLE.search(s) and not re.search(r"[。;；]", s):
            if s.startswith("关于"):
                # A heading split in two: the body's name on the line above, 关于... below.
                return (previous + s if _is_org(previous) else s), pos + len(line)
            return s, pos + len(line)
        if s:
            previous = s
    meta = context.get("meta:ArticleTitle") or context.get("page_title")
    if meta and _TITLE.search(meta):
        return meta.split("_")[0].split("-")[0].strip(), 0
    return None, 0


def _labelled(head, labels) -> str | None:
    for _, line in head:
        for label in labels:
            m = re.search(rf"[\[【]?\s*{label}\s*[\]】]?\s*[:：]?\s*([^\s\[【]+)", line)
            if m and m.group(1) and not re.match(r"[:：]", m.group(1)):
                return m.group(1).strip()
    return None


def _page_date(head, context) -> date | None:
    for label in _DATE_LABELS:
        for _, line in head:
            m = re.search(rf"{label}\s*[\]】]?\s*[:：]?\s*{_ISO}", line)
            if m:
                return _date(*m.groups())
    meta = context.get("meta:PubDate") or context.get("meta:publishdate")
    if meta:
        m = re.search(_ISO, meta)
        if m:
            return _date(*m.groups())
    return None


def _signature_date(lines) -> date | None:
    for _, line in reversed(lines[-25:]):
        s = line.strip()
        m = re.fullmatch(_ISO, s)
        if m:
            return _date(*m.groups())
        m = _CN_DATE.fullmatch(s)
        if m:
            return _date(_cn_year(m.group(1)), parse_numeral(m.group(2)), parse_numeral(m.group(3)))
    return None


def _date(y, m, d) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except (TypeError, ValueError):
        return None


def _report_year(title: str | None, text: str, published: date | None) -> int | None:
    for source in (title or "", text[:3000]):
        m = re.search(r"(20\d{2}|19\d{2})\s*年(?:度)?", source)
        if m:
            return int(m.group(1))
        m = re.search(r"([二一][〇零○一二三四五六七八九]{3})年", source)  # 二〇二三年度
        if m:
            return _cn_year(m.group(1))
    return published.year - 1 if published else None


def _cn_year(s: str) -> int:
    return int("".join(str(int(parse_numeral(c.replace("○", "〇")) or 0)) for c in s))


def _is_org(s: str) -> bool:
    return bool(_ORG_LINE.match(s)) and s.endswith(_ORG_END) and "报告" not in s and "关于" not in s


def _issuer(lines, head, title, title_end, page_source) -> str | None:
    candidates: list[str] = []
    # 1. an organisation line right under the title (the document's own header)
    for pos, line in head:
        if pos >= title_end and line.strip():
            s = line.strip()
            if _is_org(s):
                candidates.append(s)
                break
            if len(s) > 40:
                break
    # 2. the signature at the end
    for _, line in reversed(lines[-25:]):
        s = line.strip()
        if s and _is_org(s):
            candidates.append(s)
            break
    # 3. the title's own prefix (before 关于 or the year)
    if title:
        m = re.match(r"^(.{4,40}?)(?:关于|\d{4}年)", title)
        if m and m.group(1).endswith(_ORG_END):
            candidates.append(m.group(1))
    if page_source and _is_org(page_source):
        candidates.append(page_source)
    if not candidates:
        return None
    best = candidates[0]
    for other in candidates[1:]:
        if other.endswith(best) and len(other) > len(best):
            best = other  # 天津市蓟州区司法局 over 蓟州区司法局
    return best


def _body_start(lines, title_end: int) -> int:
    start = title_end
    for pos, line in lines:
        if pos < title_end:
            continue
        s = line.strip()
        dated = re.search(_ISO, s) and len(s) < 60
        labelled = re.search(r"(来源|发布时间|日期|索引号|发布机构)", s) and len(s) < 80
        if not s or _is_org(s) or dated or labelled or re.match(r"^关于.*报告$", s):
            start = pos + len(line) + 1
            continue
        break
    return min(start, lines[-1][0] if lines else 0)
