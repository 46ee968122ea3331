"""The registry of sources: a CSV file of start pages, one row a column of a government site.

    url,code,name,pagination,title_pattern
    https://www.example-county.gov.cn/zwgk/fzzfjs/index.html,500156,某县人民政府,,
    https://www.example-city.gov.cn/col/col1234/index.html,500100,某市司法局,query,法治政府建设.*报告

url            the list page of the column (http or https); required
code           the jurisdiction's division code (6, 9 or 12 digits); files go under OUT/<code>/
name           anything that helps a reader (not used by the crawl)
pagination     auto (default: every shape fazhi knows is followed), query (also ask for page N+1 of a
               ?page=N column while pages bring new records), none (the start page only)
title_pattern  a regular expression a record's title must match instead of the built-in
               法治政府建设…报告/情况/工作总结 with a year; ignored with --all

One source a line; lines starting with # are comments. The file is UTF-8 (a spreadsheet's BOM is
fine). An error names the file's line.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ingest.errors import EXIT_USAGE, FazhiError

SAMPLE = Path(__file__).resolve().parent / "sources.sample.csv"
COLUMNS = ("url", "code", "name", "pagination", "title_pattern")
PAGINATION = ("auto", "query", "none")
_CODE = re.compile(r"^(\d{6}|\d{9}|\d{12})$")


@dataclass(frozen=True)
class Source:
    url: str
    code: str
    name: str = ""
    pagination: str = "auto"
    title_pattern: str | None = None

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()


def source(url: str, code: str, name: str = "", pagination: str = "", title_pattern: str | None = None,
           where: str = "") -> Source:
    """One source checked; a bad value is a one-line FazhiError (exit 2) naming where it is."""
    at = f"{where}: " if where else ""
    url, code, pagination = url.strip(), code.strip(), (pagination or "auto").strip().lower()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FazhiError(f"{at}not a web address: {url!r} (http:// or https:// and a host)", EXIT_USAGE)
    if code and not _CODE.match(code):
        raise FazhiError(f"{at}not a division code: {code!r} (6, 9 or 12 digits)", EXIT_USAGE)
    if pagination not in PAGINATION:
        raise FazhiError(f"{at}pagination must be one of {', '.join(PAGINATION)}, not {pagination!r}", EXIT_USAGE)
    if title_pattern:
        try:
            re.compile(title_pattern)
        except re.error as exc:
            raise FazhiError(f"{at}title_pattern is not a regular expression: {exc}", EXIT_USAGE) from None
    return Source(url, code, name.strip(), pagination, title_pattern or None)


def load(path: Path) -> list[Source]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise FazhiError(f"{path}: not UTF-8 (save the registry as UTF-8 CSV)", EXIT_USAGE) from None
    except OSError as exc:
        raise FazhiError(f"cannot read the registry {path}: {(exc.strerror or str(exc)).lower()}", EXIT_USAGE) from None
    rows = [(n, next(csv.reader([line]))) for n, line in enumerate(text.splitlines(), 1)
            if line.strip() and not line.lstrip().startswith("#")]
    header = [h.strip().lower() for h in rows[0][1]] if rows else []
    missing = [c for c in ("url", "code") if c not in header]
    if missing:
        raise FazhiError(f"{path}: the header must name the columns {', '.join(COLUMNS)} (missing: "
                         f"{', '.join(missing)})", EXIT_USAGE)
    sources = []
    for n, cells in rows[1:]:
        row = dict(zip(header, cells))
        sources.append(source(row.get("url") or "", row.get("code") or "", row.get("name") or "",
                              row.get("pagination") or "", row.get("title_pattern") or None, where=f"{path.name} row {n}"))
    if not sources:
        raise FazhiError(f"{path}: no sources in it", EXIT_USAGE)
    return sources
