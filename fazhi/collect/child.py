"""The crawl process: `python -m fazhi.collect.child JOB.json` (started by run.py).

Scrapy runs on a Twisted reactor, which starts once per process: each `fazhi collect` crawls in
a child of its own, which prints one JSON line per saved file (the parent's progress) and writes
each site's tally to the job's result file when the crawl ends.

Resume: a crawl stopped cleanly (Ctrl-C, SIGTERM) keeps Scrapy's JOBDIR (its queue of requests
and the fingerprints seen) with a marker, and the next run continues from it. A JOBDIR without
the marker is what kill -9 left: Scrapy writes its queue's index only on a clean stop, so it is
discarded; the sidecars of what was saved make the new start cheap (conditional requests, 304).
A crawl that finished leaves no JOBDIR.
"""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

PAUSED = "fazhi-paused"


def jobdir_for(root: Path, sources: list[dict]) -> Path:
    """The JOBDIR of this list of sources (another list is another crawl)."""
    import hashlib

    key = hashlib.sha1("\n".join(s["url"] for s in sources).encode()).hexdigest()[:12]
    folder = root / key
    if folder.exists() and not (folder / PAUSED).exists():
        shutil.rmtree(folder, ignore_errors=True)   # left by kill -9: its queue cannot be trusted
    (folder / PAUSED).unlink(missing_ok=True)
    return folder


def main(job_file: str) -> int:
    job = json.loads(Path(job_file).read_text(encoding="utf-8"))
    _offline_suffixes()
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    from .config import Politeness
    from .spider import CollectSpider, settings
    from .store import sweep_parts

    politeness = Politeness(**job["politeness"])
    out = Path(job["out"])
    sweep_parts(out)
    log = Path(job["state"]) / "scrapy.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    jobdir = jobdir_for(Path(job["state"]) / "jobs", job["sources"])
    process = CrawlerProcess(settings(politeness, jobdir, log))

    def emit(event: str, detail: str) -> None:
        sys.stdout.write(json.dumps({"event": event, "detail": detail}, ensure_ascii=False) + "\n")
        sys.stdout.flush()

    stopped = []

    def closed(spider, reason):
        stopped.append(reason != "finished")
        if reason == "finished":
            shutil.rmtree(jobdir, ignore_errors=True)
        else:   # shutdown (Ctrl-C, SIGTERM): Scrapy saved its queue; the next run resumes it
            jobdir.mkdir(parents=True, exist_ok=True)
            (jobdir / PAUSED).write_text(reason)

    crawler = process.create_crawler(CollectSpider)
    crawler.signals.connect(closed, signal=signals.spider_closed)
    process.crawl(crawler, sources=job["sources"], out=str(out), options=job["options"], on_event=emit)
    process.start()
    result = [{"url": site.source["url"], "code": site.source["code"], "stopped": any(stopped),
               **site.tally.as_json()} for site in crawler.spider.sites]
    Path(job["result"]).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return 0


def _offline_suffixes() -> None:
    """Scrapy's cookie check splits domains with tldextract, which downloads the public suffix
    list on first use: use the snapshot it ships instead, so a crawl contacts only its sites."""
    import tldextract
    from scrapy.downloadermiddlewares import cookies

    cookies._split_domain = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None,
                                                  include_psl_private_domains=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
