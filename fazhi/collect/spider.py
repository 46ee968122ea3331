"""The crawl of one column, on Scrapy: list pages -> records -> report pages -> attachments.

Scrapy does the politeness (robots.txt, one connection per host, AutoThrottle, retries, the size
limit, off-site requests dropped, redirects bounded); this module decides what to follow and
what to save (pages.py, store.py) and tallies each site's outcome. `settings` is the whole
Scrapy configuration: nothing listens on a port (telnet console and remote control off), and
nothing fetched is cached by Scrapy (store.py's sidecars are the incremental state).
"""
from __future__ import annotations

import asyncio
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from .config import Politeness
from .pages import Link, attachment_ext, is_report_title, parse_detail, parse_list, same_site, title_year
from .store import Store

SKIP_TITLE = "title is not a report's (--all collects every record)"
SKIP_SINCE = "report year before --since"
SKIP_OFFSITE = "link off the site (--allow-domain follows it)"
SKIP_ROBOTS = "disallowed by robots.txt"
SKIP_PAGES = "list pages beyond FAZHI_COLLECT_MAX_PAGES"
SKIP_DUPLICATE = "same bytes as another URL of the site"
SKIP_EMPTY = "empty response"


@dataclass
class Tally:
    """One site's outcome: the summary's row."""
    found: int = 0          # records (reports, attachments) to collect
    fetched: int = 0        # saved this run (new or changed)
    unchanged: int = 0      # saved before and unchanged (304, or the same bytes)
    list_pages: int = 0
    skipped: Counter = field(default_factory=Counter)
    failed: Counter = field(default_factory=Counter)
    saved: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"found": self.found, "fetched": self.fetched, "unchanged": self.unchanged,
                "list_pages": self.list_pages, "skipped": dict(self.skipped), "failed": dict(self.failed),
                "saved": self.saved}


class Backoff:
    """Retries wait, longer each time: FAZHI_COLLECT_BACKOFF seconds, doubled per retry (Scrapy's
    RetryMiddleware re-sends at once). The wait is before the request joins its host's queue, so
    other hosts go on meanwhile."""

    def __init__(self, base: float):
        self.base = base

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getfloat("FAZHI_BACKOFF"))

    async def process_request(self, request):
        tries = request.meta.get("retry_times", 0)
        if tries and self.base:
            await asyncio.sleep(self.base * 2 ** (tries - 1))
        return None


class Throttle(AutoThrottle):
    """AutoThrottle, with a 304 as healthy as a 200: it lets only a 200 shorten the delay, so a
    rerun (all 304s) would keep whatever delay one slow answer set."""

    def _adjust_delay(self, slot, latency, response):
        super()._adjust_delay(slot, latency, response.replace(status=200) if response.status == 304 else response)


def settings(p: Politeness, jobdir: Path | None, log_file: Path | None) -> dict:
    delay = p.delay
    return {
        "USER_AGENT": p.user_agent,
        "ROBOTSTXT_OBEY": True,
        "ROBOTSTXT_USER_AGENT": "fazhi-collect",
        "CONCURRENT_REQUESTS": 32,               # across sites; ...
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,     # ... one connection per host
        "DOWNLOAD_DELAY": delay,
        "RANDOMIZE_DOWNLOAD_DELAY": delay > 0,
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": min(max(delay, 3 * delay), p.max_delay),
        "AUTOTHROTTLE_MAX_DELAY": max(p.max_delay, delay),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "DOWNLOAD_TIMEOUT": p.timeout,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": p.retries,
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
        "FAZHI_BACKOFF": p.backoff,
        "DOWNLOADER_MIDDLEWARES": {"fazhi.collect.spider.Backoff": 560},
        "EXTENSIONS": {"scrapy.extensions.throttle.AutoThrottle": None, "fazhi.collect.spider.Throttle": 0},
        "DOWNLOAD_MAXSIZE": p.max_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "REDIRECT_MAX_TIMES": 5,
        "METAREFRESH_MAXDELAY": 5,
        "DEPTH_LIMIT": 0,
        "JOBDIR": str(jobdir) if jobdir else None,
        "HTTPCACHE_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,          # nothing listens on a port
        "REMOTE_CONTROL_ENABLED": False,         # (Scrapy's runs code sent to it over HTTP)
        "LOG_ENABLED": log_file is not None,
        "LOG_FILE": str(log_file) if log_file else None,
        "LOG_LEVEL": "INFO",
        "LOGSTATS_INTERVAL": 0,
        "MEMUSAGE_ENABLED": False,
        "STATS_DUMP": True,
        "WARN_ON_GENERATOR_RETURN_VALUE": False,   # it re-reads each callback's source per response: a third of the time
    }


class Site:
    """One source's crawl state: its hosts, store, what it has seen, its tally."""

    def __init__(self, source: dict, store: Store, allow: tuple[str, ...]):
        self.source = source
        self.hosts = {source["host"], *allow}
        self.store = store
        self.tally = Tally()
        self.lists: set[str] = set()


class CollectSpider(Spider):
    """Every source in one spider, so one downloader: its per-host slot is what keeps one
    connection per host even when several columns share a site."""
    name = "fazhi-collect"

    def __init__(self, sources: list[dict], out: str, options: dict, on_event=None, **kw):
        super().__init__(**kw)
        allow = tuple(options.get("allow_domains", ()))
        stores: dict[Path, Store] = {}
        self.sites = []
        for source in sources:
            store = Store(Path(out), source["code"], source["host"])
            self.sites.append(Site(source, stores.setdefault(store.folder, store), allow))
        # Scrapy's offsite check, which also covers redirects: every start host and --allow-domain.
        self.allowed_domains = sorted({h for site in self.sites for h in site.hosts})
        self.take_all = bool(options.get("all"))
        self.since = options.get("since")
        self.max_pages = int(options.get("max_pages", 300))
        self.on_event = on_event or (lambda *a: None)
        self._records: set[str] = set()

    async def start(self):
        for i, site in enumerate(self.sites):
            yield self._list(i, site.source["url"])

    # ---- requests ----------------------------------------------------------------------

    def _list(self, i: int, url: str, probe: bool = False) -> Request:
        self.sites[i].lists.add(url)
        return Request(url, callback=self.on_list, errback=self.on_error,
                       meta={"kind": "list", "probe": probe, "site": i})

    def _fetch(self, i: int, link: Link, page: str | None, kind: str) -> Request:
        known = self.sites[i].store.known.get(link.url)
        # dont_filter: records are deduplicated here (_records); left to Scrapy's filter, a redirect
        # loop would end silently at its first repeat instead of failing after REDIRECT_MAX_TIMES.
        return Request(link.url, headers=known.conditional() if known else None, callback=self.on_file,
                       errback=self.on_error, dont_filter=True,
                       meta={"kind": kind, "page": page, "title": link.title, "site": i,
                             "handle_httpstatus_list": [304]})

    def _wanted(self, site: Site, link: Link) -> bool:
        if not same_site(link.url, site.hosts):
            site.tally.skipped[SKIP_OFFSITE] += 1
            return False
        if not self.take_all and not is_report_title(link.title, site.source.get("title_pattern")):
            site.tally.skipped[SKIP_TITLE] += 1
            return False
        year = title_year(link.title)
        if self.since and year and year < self.since:
            site.tally.skipped[SKIP_SINCE] += 1
            return False
        return True

    # ---- responses ---------------------------------------------------------------------

    def on_list(self, response):
        i = response.meta["site"]
        site = self.sites[i]
        site.tally.list_pages += 1
        if not isinstance(response, TextResponse):   # the start page was itself a file
            yield from self.on_file(response, kind="file")
            return
        found = parse_list(response.text, response.url, site.source.get("pagination", "auto"))
        new = 0
        for link in found.records:
            if link.url in self._records:
                continue
            self._records.add(link.url)
            if self._wanted(site, link):
                new += 1
                site.tally.found += 1
                yield self._fetch(i, link, response.url, "file" if attachment_ext(link.url) else "page")
        if site.source.get("pagination") == "none":
            return
        probe = [found.next_query] if found.next_query and new and found.next_query not in found.pages else []
        for url in found.pages + probe:
            if url in site.lists:
                continue
            if not same_site(url, site.hosts):
                site.tally.skipped[SKIP_OFFSITE] += 1
            elif len(site.lists) >= self.max_pages:
                site.tally.skipped[SKIP_PAGES] += 1
            else:
                yield self._list(i, url, probe=url in probe)

    def on_file(self, response, kind: str | None = None):
        i = response.meta["site"]
        site = self.sites[i]
        kind = kind or response.meta.get("kind", "file")
        known = site.store.known.get(response.url)
        if response.status == 304 and known:
            site.tally.unchanged += 1
            self.on_event("unchanged", response.url)
            yield from self._attachments(i, [Link(u, "") for u in known.links], response.url)
            return
        body = response.body
        if not body:
            site.tally.failed[SKIP_EMPTY] += 1
            return
        digest = hashlib.sha256(body).hexdigest()
        is_page = isinstance(response, TextResponse) and not attachment_ext(response.url) and kind == "page"
        links = parse_detail(response.text, response.url) if is_page else []
        if known and known.sha256 == digest:
            site.tally.unchanged += 1
            self.on_event("unchanged", response.url)
        elif digest in site.store.hashes and not known:
            site.tally.skipped[SKIP_DUPLICATE] += 1
        else:
            head = response.headers
            path = site.store.save(
                response.url, body, page=response.meta.get("page"), status=response.status,
                content_type=_header(head, b"Content-Type") or "", etag=_header(head, b"ETag"),
                last_modified=_header(head, b"Last-Modified"), links=[link.url for link in links],
                code=site.source["code"])
            site.tally.fetched += 1
            site.tally.saved.append(str(path))
            self.on_event("saved", str(path))
        yield from self._attachments(i, links, response.url)

    def _attachments(self, i: int, links: list[Link], page: str):
        site = self.sites[i]
        for link in links:
            if link.url in self._records:
                continue
            self._records.add(link.url)
            if not same_site(link.url, site.hosts):
                site.tally.skipped[SKIP_OFFSITE] += 1
                continue
            site.tally.found += 1
            yield self._fetch(i, link, page, "file")

    def on_error(self, failure):
        if failure.request.meta.get("probe"):
            return   # page N+1 of a ?page=N column asked for in case: its absence ends the column
        reason, skipped = _reason(failure)
        tally = self.sites[failure.request.meta["site"]].tally
        (tally.skipped if skipped else tally.failed)[reason] += 1
        self.on_event("skipped" if skipped else "failed", f"{failure.request.url}: {reason}")


def _reason(failure) -> tuple[str, bool]:
    """(one line, whether it is a skip rather than a failure) for a request that got no response."""
    exc = failure.value
    name = type(exc).__name__
    text = str(exc)
    if isinstance(exc, HttpError):
        return f"HTTP {exc.response.status}", False
    if isinstance(exc, IgnoreRequest):
        if "robots.txt" in text:
            return SKIP_ROBOTS, True
        if "offsite" in text.lower():
            return SKIP_OFFSITE, True
        if "redirections" in text:
            return "redirect loop (more than 5 redirects)", False
        return f"ignored: {text}", True
    if name == "DownloadCancelledError" or "maxsize" in text:
        return "larger than FAZHI_MAX_FILE_MB", True
    if "Timeout" in name or "timed out" in text.lower():
        return "timed out (after retries)", False
    if "DNS" in name or "Resolve" in name:
        return "host not found", False
    if "Refused" in name:
        return "connection refused", False
    return f"{name}: {text.splitlines()[0][:200] if text else ''}".rstrip(": "), False


def _header(headers, name: bytes) -> str | None:
    value = headers.get(name)
    return value.decode("latin-1") if value else None
