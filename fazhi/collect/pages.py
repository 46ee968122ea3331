"""What a government column's pages hold: the records a list page links, its other pages, and
the attachments a report page links. Pure functions on a page's text, no network.

The shapes followed (they cover the CMSs most 政府信息公开 columns run on):
- static numbered list pages (`index.html`, `index_1.html` ...) and query-string pages
  (`list.jsp?page=2`), linked by 下一页/尾页/page numbers;
- pages written by a script: `createPageHTML(total, current, "index", "html")` and
  `var countPage = N` name the number of pages, with no link to them in the HTML;
- records held as XML inside a script (`<record><![CDATA[<li><a href=...>title</a></li>]]></record>`,
  a data-proxy CMS), which no HTML parser sees as links;
- report pages linking the report as pdf, doc, docx, wps, ofd or xls (directly, or through a
  download script whose query names the file).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import html as lxml_html
from lxml.etree import ParserError

ATTACHMENTS = ("pdf", "doc", "docx", "wps", "ofd", "xls", "xlsx", "et")
# 法治政府建设…报告/情况/工作总结: the report and the titles it is published under.
REPORT_TITLE = r"法治政府建设.*(报告|情况|工作总结)"
MAX_SCRIPT_PAGES = 500     # a page count a script claims beyond this is a trap or a typo

_PAGER_WORDS = {"下一页", "下页", "上一页", "上页", "首页", "尾页", "末页", "最后一页", "后页", "前页", ">", ">>", "»", "next"}
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_SCRIPT_ANCHOR = re.compile(r"<a\s[^>]*href", re.I)
_CREATE_PAGE = re.compile(r"createPage(?:HTML)?\s*\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"](\w+)['\"]"
                          r"\s*,\s*['\"](\w+)['\"]")
_COUNT_PAGE = re.compile(r"\b(?:countPage|pageCount|totalPage|totalPages|page_count)\s*[=:]\s*['\"]?(\d+)")
_NUMBERED = re.compile(r"^(?P<stem>[A-Za-z]+)(?:_(?P<n>\d+))?\.(?P<ext>s?html?|jsp|php|aspx?)$")
_PAGE_PARAMS = ("page", "pageNo", "pageno", "pageNum", "pagenum", "pageIndex", "pageindex", "currentPage",
                "curPage", "p", "pn", "start")
_YEAR = re.compile(r"(?<!\d)(19[89]\d|20\d\d)(?!\d)")
_HAN_YEAR = re.compile(r"([二〇零一九八七六五四三]{4})年")
_HAN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Link:
    url: str
    title: str


@dataclass
class ListPage:
    records: list[Link]       # candidate records: links in list items, table rows and script records
    pages: list[str]          # the column's other list pages
    next_query: str | None    # page N+1 of a query-string column: followed while pages bring new records


def parse_list(text: str, url: str, hint: str = "") -> ListPage:
    """The records and the other pages of one list page."""
    records: list[Link] = []
    pages: list[str] = []
    for frag in _fragments(text):
        for a in frag.iter("a"):
            href = (a.get("href") or "").strip()
            if not href or href.startswith(("#", "javascript:", "mailto:")):
                continue
            target = absolute(url, href)
            label = clean(a.text_content())
            if label in _PAGER_WORDS or label.isdigit() or _is_numbered_sibling(url, target):
                pages.append(target)
            elif _in_item(a):
                records.append(Link(target, clean(a.get("title") or "") or label))
    pages += script_pages(text, url)
    nxt = next_query_page(url) if hint in ("", "query") else None
    return ListPage(_unique_links(records), list(dict.fromkeys(p for p in pages if p != url)), nxt)


def parse_detail(text: str, url: str) -> list[Link]:
    """The attachments a report page links (a report is often the page and its PDF or Word file)."""
    found = []
    for frag in _fragments(text):
        for a in frag.iter("a"):
            href = (a.get("href") or "").strip()
            if href and not href.startswith(("#", "javascript:", "mailto:")):
                target = absolute(url, href)
                if attachment_ext(target):
                    found.append(Link(target, clean(a.get("title") or "") or clean(a.text_content())))
    return _unique_links(found)


def script_pages(text: str, url: str) -> list[str]:
    """List pages a script writes the links of: createPageHTML(total, current, name, ext) or a
    page count beside a numbered page name (index_N.html)."""
    base = url.rsplit("/", 1)[0] + "/"
    if m := _CREATE_PAGE.search(text):
        total, stem, ext = int(m.group(1)), m.group(3), m.group(4)
    elif (m := _COUNT_PAGE.search(text)) and (n := _NUMBERED.match(urlsplit(url).path.rsplit("/", 1)[-1] or "index.html")):
        total, stem, ext = int(m.group(1)), n.group("stem"), n.group("ext")
    else:
        return []
    total = min(total, MAX_SCRIPT_PAGES)
    return [urljoin(base, f"{stem}.{ext}" if k == 0 else f"{stem}_{k}.{ext}") for k in range(total)]


def is_report_title(title: str, pattern: str | None = None) -> bool:
    """A title that names a rule-of-law government report (with a year, unless the site's own
    pattern says otherwise)."""
    if pattern:
        return re.search(pattern, title) is not None
    return re.search(REPORT_TITLE, title) is not None and title_year(title) is not None


def title_year(title: str) -> int | None:
    """The year a title is about: 2023, or 二〇二三年; the earliest when it names several
    (关于2023年…工作情况的报告 published in 2024 is about 2023)."""
    years = [int(y) for y in _YEAR.findall(title)]
    years += [int("".join(_HAN_DIGITS[c] for c in y)) for y in _HAN_YEAR.findall(title)]
    return min(years) if years else None


def attachment_ext(url: str) -> str | None:
    """The file type of an attachment link, from its path or a download script's query."""
    parts = urlsplit(url)
    for candidate in (parts.path, *(v for _, v in parse_qsl(parts.query))):
        ext = candidate.rsplit(".", 1)[-1].lower() if "." in candidate else ""
        if ext in ATTACHMENTS:
            return ext
    return None


def same_site(url: str, hosts: set[str]) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in hosts)


def absolute(base: str, href: str) -> str:
    url = urljoin(base, href.replace("\\", "/"))
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def clean(s: str) -> str:
    return _SPACE.sub("", s or "").strip()


def _fragments(text: str):
    """The page, and each HTML fragment held in a script's CDATA or string."""
    docs = []
    for chunk in [text, *_CDATA.findall(text)]:
        try:
            docs.append(lxml_html.fromstring(chunk) if chunk.strip() else None)
        except (ParserError, ValueError):
            continue
    for m in re.finditer(r"<script[^>]*>(.*?)</script>", text, re.S | re.I):
        body = m.group(1)
        if _SCRIPT_ANCHOR.search(body) and "CDATA" not in body:   # document.write('<li><a href=...')
            try:
                docs.append(lxml_html.fromstring(body.replace("\\'", "'").replace('\\"', '"')))
            except (ParserError, ValueError):
                pass
    return [d for d in docs if d is not None]


def _in_item(a) -> bool:
    for parent in a.iterancestors():
        if parent.tag in ("li", "td", "dd", "dt", "tr"):
            return True
        if parent.tag in ("body", "html"):
            break
    return a.getparent() is None or a.getparent().tag in ("div", "span", "p", "body") and a.get("title") is not None


def _is_numbered_sibling(url: str, target: str) -> bool:
    """index_3.html beside index.html: another page of the same column."""
    a, b = urlsplit(url), urlsplit(target)
    if a.netloc != b.netloc or a.path.rsplit("/", 1)[0] != b.path.rsplit("/", 1)[0]:
        return False
    mine, theirs = (_NUMBERED.match(p.path.rsplit("/", 1)[-1] or "index.html") for p in (a, b))
    return bool(mine and theirs and mine.group("stem") == theirs.group("stem") and theirs.group("n"))


def _page_param(url: str) -> str | None:
    keys = dict(parse_qsl(urlsplit(url).query))
    return next((k for k in _PAGE_PARAMS if k in keys and keys[k].isdigit()), None)


def next_query_page(url: str) -> str | None:
    key = _page_param(url)
    if key is None:
        return None
    parts = urlsplit(url)
    query = [(k, str(int(v) + 1) if k == key else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def _unique_links(links: list[Link]) -> list[Link]:
    seen: dict[str, Link] = {}
    for link in links:
        if link.url not in seen or len(link.title) > len(seen[link.url].title):
            seen[link.url] = link
    return list(seen.values())
