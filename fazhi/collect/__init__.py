"""`fazhi collect`: gather the report files from the governments' sites, politely and incrementally.

registry.py  the sources (a CSV of start pages with their division codes and hints)
config.py    the politeness settings (FAZHI_COLLECT_*)
pages.py     what a list page and a report page link (pure: text in, links out)
store.py     where files go, their provenance sidecars, what earlier runs saved
spider.py    the Scrapy spider and its settings
child.py     the crawl process (Scrapy's reactor starts once per process)
run.py       `collect(...)`: runs the child, returns each site's tally

fazhi.collect knows ingest (its sidecar format, errors, limits) and nothing else of fazhi; the CLI
(fazhi/cli/collect.py) hands what was saved to the same code as `fazhi ingest`.
"""
from .config import Politeness
from .registry import SAMPLE, Source, load, source
from .run import SiteResult, collect
from .store import site_folder


def store_folder(out, source: Source):
    """Where a source's files are saved."""
    return site_folder(out, source.code, source.host)

__all__ = ["SAMPLE", "Politeness", "SiteResult", "Source", "collect", "load", "source", "store_folder"]
