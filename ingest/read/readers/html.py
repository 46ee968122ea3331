"""Saved web pages: the article's text, site chrome dropped, every table rendered row by row."""
from __future__ import annotations

import re

from ..decode import cjk_count
from ..normalize import normalize
from . import inflate
from .base import Extracted, decode_text

FORMAT = "html"
SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")

_CHROME_CLASS = re.compile(r"nav|menu|footer|foot|share|sidebar|bottom|header|top|login|search|link|crumb|"
                           r"position|location|qrcode|ewm", re.IGNORECASE)
# Page metadata lines that carry date, source, issuer or index number.
META_LINE = re.compile(r"(日期|发布时间|发布日期|成文日期|来源|发布机构|索引号|发文机关|信息来源)")


def sniff(data: bytes, suffix: str) -> bool:
    return suffix in SUFFIXES


def read(data: bytes, source: str) -> Extracted:
    return from_text(*decode_text(data))


def from_text(raw: str, encoding: str, warnings: list[str]) -> Extracted:
    # Normalised before the markup is read, so that look-alike characters (⽇期) cannot hide a
    # page's metadata lines or chrome from the patterns that find them. (document.py normalises every
    # reader's text; on this output that is a no-op.)
    raw = normalize(raw)
    with inflate.budget():
        text, context = html_to_text(raw)
    if cjk_count(text) < 1:
        # A malformed tag (<? …, an unclosed comment) made the parser swallow the article:
        # read the page's text between its tags instead of losing it.
        text = _strip_tags(raw)
    return Extracted(text, FORMAT, encoding, context, warnings)


_SCRIPT_OPEN = re.compile(r"(?i)<(script|style)\b")
_SCRIPT_CLOSE = {"script": re.compile(r"(?i)</script\s*>"), "style": re.compile(r"(?i)</style\s*>")}


def _strip_tags(html: str) -> str:
    from html import unescape

    # Each <script>/<style> with its closing tag goes; one never closed stays (as the regex
    # <(script|style)\b.*?</\1> would leave it), found in one pass rather than one per opening.
    kept, pos, unclosed = [], 0, set()
    for m in _SCRIPT_OPEN.finditer(html):
        name = m.group(1).lower()
        if m.start() < pos or name in unclosed:
            continue
        close = _SCRIPT_CLOSE[name].search(html, m.end())
        if close is None:
            unclosed.add(name)
            continue
        kept.append(html[pos:m.start()] + " ")
        pos = close.end()
    kept.append(html[pos:])
    return unescape(re.sub(r"<[^<>]*>", "\n", "".join(kept)))


def html_to_text(html: str) -> tuple[str, dict[str, str]]:
    """Article text of a saved page and its context. Block elements become lines, inline ones
    run on; every table is rendered row by row (see _table)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    context = _page_context(soup)
    for tag in soup(["script", "style", "noscript", "nav", "footer", "header", "form", "iframe", "select"]):
        tag.decompose()
    _drop_chrome(soup)
    body = soup.body or soup
    try:
        return _render(body), context
    except RecursionError:  # tables nested thousands deep: plain text is better than nothing
        return body.get_text("\n"), context


def _drop_chrome(soup) -> None:
    """Remove hidden elements and site chrome (nav, footer ... by id or class) unless it wraps
    the article. Top down, never entering a removed element, with each element's text measured
    once from the bottom up: a page nested 40,000 elements deep is no quadratic walk."""
    from bs4 import Tag

    summary = _text_summaries(soup)
    stack = [soup]
    while stack:
        for tag in [c for c in stack.pop().children if isinstance(c, Tag)]:
            marks = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
            hidden = re.search(r"display\s*:\s*none", tag.get("style") or "")
            if hidden or marks.strip() and _CHROME_CLASS.search(marks) and not _holds_article(summary[id(tag)]):
                tag.decompose()
            else:
                stack.append(tag)


_HEAD_CHARS = 200


def _text_summaries(soup) -> dict[int, tuple[int, str]]:
    """id(tag) -> (length of tag.get_text(" ", strip=True), its first 200 characters), for every
    tag, children before parents."""
    from bs4 import CData, NavigableString, Tag

    out: dict[int, tuple[int, str]] = {}
    for node in reversed(list(soup.descendants)):
        if not isinstance(node, Tag):
            continue
        length, parts, head_len = -1, [], 0
        for child in node.children:
            if isinstance(child, Tag):
                n, head = out[id(child)]
            elif type(child) in (NavigableString, CData):
                head = child.strip()
                n = len(head)
            else:
                continue  # comments, doctype: get_text leaves them out
            if n <= 0:
                continue
            length += n + 1            # joined by one space
            if head_len < _HEAD_CHARS:
                parts.append(head)
                head_len += len(head) + 1
        out[id(node)] = (max(length, 0), " ".join(parts)[:_HEAD_CHARS])
    return out


_BLOCKS = {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
           "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
           "h5", "h6", "header", "hgroup", "hr", "li", "main", "menu", "nav", "ol", "p", "pre", "section",
           "summary", "ul", "tr", "td", "th", "tbody", "thead", "tfoot"}
_LINE, _GAP, _WRAP = "\x00", "\x01", "\x02"   # a line break, a blank line (around tables), a source wrap
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"


def _render(node) -> str:
    parts: list[str] = []
    _walk(node, parts)
    text = re.sub(r"[ \t]*[\x00\x01][\x00\x01 \t\x02]*",
                  lambda m: "\n\n" if _GAP in m.group() else "\n", "".join(parts))
    # A line wrapped in the page source next to a Chinese character is no space (Word-exported
    # pages wrap mid-sentence: 纠错\n9件 is 纠错9件); between Latin words it is one.
    text = re.sub(rf"(?<=[{_WIDE}])[ \x02]*\x02[ \x02]*|[ \x02]*\x02[ \x02]*(?=[{_WIDE}])", "", text)
    text = re.sub(r"[ \x02]*\x02[ \x02]*", " ", text)
    return "\n".join(line.strip(" ") for line in text.split("\n")).strip("\n")


def _walk(node, parts: list[str]) -> None:
    """Append the rendering of node's children to parts. With its own stack, not recursion:
    markup nested thousands deep is read like any other."""
    from bs4 import NavigableString, Tag

    stack = [(iter(node.children), "")]   # (children still to render, what closes the element)
    while stack:
        child = next(stack[-1][0], None)
        if child is None:
            parts.append(stack.pop()[1])
        elif type(child) is NavigableString:
            parts.append(re.sub(r"[ \t\r\n\f]+", lambda m: _WRAP if "\n" in m.group() or "\r" in m.group() else " ",
                                str(child)))
        elif not isinstance(child, Tag):
            continue  # comments, doctype, processing instructions
        elif child.name == "br":
            parts.append("\n")
        elif child.name == "table":
            parts.append(_GAP + _table(child) + _GAP)
        elif child.name == "pre":
            parts.append(_LINE + child.get_text() + _LINE)
        elif child.name in _BLOCKS:
            parts.append(_LINE)
            stack.append((iter(child.children), _LINE))
        else:
            stack.append((iter(child.children), ""))


def _table(table) -> str:
    """One line per <tr>: cell texts joined by ' | ', colspan repeated and rowspan filled down so
    columns stay aligned. A one-cell row (a caption, or a layout table holding the article) keeps
    its own lines, and so does a row whose cells hold whole blocks (a nested table, paragraphs)."""
    lines: list[str] = []
    caption = table.find("caption", recursive=False)
    if caption is not None:
        lines.append(_render(caption))
    carry: dict[int, tuple[str, int]] = {}   # column -> (text, rows still to fill)
    for tr in _rows(table):
        cells = tr.find_all(["td", "th"], recursive=False)
        texts = [_render(c) for c in cells]
        if len(cells) == 1 and not carry or _is_layout(cells, texts):
            lines += [t for t in texts if t.strip()]
            carry = {}
            continue
        row, carry = _spread(cells, [re.sub(r"\s+", " ", t).strip() for t in texts], carry)
        if any(row):
            # spanned cells repeat their text (50 x 50 times at most): counted before the row is built
            inflate.current().add_text(inflate.joined_length(row, " | "))
            lines.append(" | ".join(row))
    return "\n".join(lines)


def _rows(table):
    for child in table.find_all(["tr", "thead", "tbody", "tfoot"], recursive=False):
        if child.name == "tr":
            yield child
        else:
            yield from child.find_all("tr", recursive=False)


def _spread(cells, texts: list[str], carry: dict[int, tuple[str, int]]):
    row: list[str] = []
    below: dict[int, tuple[str, int]] = {}

    def take_carried():
        while len(row) in carry:
            text, left = carry.pop(len(row))
            if left > 1:
                below[len(row)] = (text, left - 1)
            row.append(text)

    for cell, text in zip(cells, texts):
        take_carried()
        span, down = _span(cell.get("colspan")), _span(cell.get("rowspan"))
        for _ in range(span):
            if down > 1:
                below[len(row)] = (text, down - 1)
            row.append(text)
    take_carried()
    while any(col >= len(row) for col in carry):  # a filled-down cell past an empty stretch of this row
        row.append("")
        take_carried()
    return row, below


def _span(value) -> int:
    try:
        return max(1, min(int(str(value).strip()), 50))
    except (TypeError, ValueError):
        return 1


def _is_layout(cells, texts: list[str]) -> bool:
    """Cells holding a table or paragraphs of prose are page layout, not data."""
    return any(c.find("table") is not None for c in cells) or any(
        "\n" in t and (t.count("\n") >= 2 and len(t) > 120 or t.count("。") >= 2) for t in texts)


def _holds_article(summary: tuple[int, str]) -> bool:
    # A container named "top-content" may still wrap the article: keep anything long or with metadata.
    length, head = summary
    return length > 400 or bool(META_LINE.search(head))


def _page_context(soup) -> dict[str, str]:
    ctx: dict[str, str] = {}
    for meta in soup.find_all("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip()
        if name and meta.get("content"):
            ctx[f"meta:{name}"] = meta["content"].strip()
    if soup.title and soup.title.string:
        ctx["page_title"] = soup.title.string.strip()
    crumb = soup.find(string=re.compile("(当前位置|您的位置|当前的位置)"))
    if crumb is not None and crumb.parent is not None:
        ctx["breadcrumb"] = crumb.parent.get_text(" ", strip=True)[:200]
    canonical = soup.find("link", rel="canonical")
    if canonical and canonical.get("href"):
        ctx["url"] = canonical["href"]
    return ctx
