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


def jobdir_for(root: Path, index: int, url: str) -> Path:
    import hashlib

    folder = root / f"{index:04d}-{hashlib.sha1(url.encode()).hexdigest()[:12]}"
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
    from .spider import ColumnSpider, settings
    from .store import sweep_parts

    politeness = Politeness(**job["politeness"])
    out = Path(job["out"])
    sweep_parts(out)
    jobs_root = Path(job["state"]) / "jobs"
    log = Path(job["state"]) / "scrapy.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    process = CrawlerProcess(settings(politeness, None, log), install_root_handler=True)
    spiders: list[tuple[dict, ColumnSpider, Path]] = []

    def emit(event: str, detail: str) -> None:
        sys.stdout.write(json.dumps({"event": event, "detail": detail}, ensure_ascii=False) + "\n")
        sys.stdout.flush()

    for i, source in enumerate(job["sources"]):
        jobdir = jobdir_for(jobs_root, i, source["url"])
        crawler = process.create_crawler(ColumnSpider)
        crawler.settings.set("JOBDIR", str(jobdir), priority="spider")

        def closed(spider, reason, jobdir=jobdir):
            if reason == "finished":
                shutil.rmtree(jobdir, ignore_errors=True)
            else:   # shutdown: Scrapy saved the queue; the next run resumes it
                jobdir.mkdir(parents=True, exist_ok=True)
                (jobdir / PAUSED).write_text(reason)

        crawler.signals.connect(closed, signal=signals.spider_closed)
        process.crawl(crawler, source=source, out=str(out), options=job["options"], on_event=emit)
        spiders.append((source, crawler, jobdir))
    process.start()
    result = [{"url": s["url"], "code": s["code"], **c.spider.tally.as_json()} for s, c, _ in spiders if c.spider]
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
