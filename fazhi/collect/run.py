"""Run a crawl: the sources, where files go, what to follow; the crawl itself runs in a child
process (child.py), whose saved files the caller hears of as they come (`on_event`)."""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.children import die_with_parent
from ingest.errors import EXIT_CANNOT_RUN, FazhiError

from .config import Politeness
from .registry import Source


@dataclass
class SiteResult:
    url: str
    code: str
    found: int = 0
    fetched: int = 0
    unchanged: int = 0
    list_pages: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)
    saved: list[str] = field(default_factory=list)
    stopped: bool = False      # stopped before the end (Ctrl-C, SIGTERM): the next run resumes


def collect(sources: list[Source], out: Path, state: Path, politeness: Politeness, *, take_all: bool = False,
            since: int | None = None, allow_domains: tuple[str, ...] = (),
            on_event: Callable[[str, str], None] | None = None) -> list[SiteResult]:
    """Crawl every source into `out` (OUT/<code>/<host>/), keeping Scrapy's resumable state and log
    in `state`; returns each site's tally."""
    import importlib.util

    if importlib.util.find_spec("scrapy") is None:
        raise FazhiError("fazhi collect needs Scrapy: pip install 'fazhi[collect]'")
    for folder, what in ((out, "the output folder"), (state, "the crawl state folder")):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise FazhiError(f"cannot create {what} {folder}: {(exc.strerror or str(exc)).lower()}") from None
    with tempfile.TemporaryDirectory(prefix="fazhi-collect-") as tmp:
        job = Path(tmp) / "job.json"
        result = Path(tmp) / "result.json"
        job.write_text(json.dumps({
            "sources": [{**dataclasses.asdict(s), "host": s.host} for s in sources],
            "out": str(out), "state": str(state), "result": str(result),
            "politeness": dataclasses.asdict(politeness),
            "options": {"all": take_all, "since": since, "allow_domains": [d.lower() for d in allow_domains],
                        "max_pages": politeness.max_pages},
        }, ensure_ascii=False), encoding="utf-8")
        proc = subprocess.Popen([sys.executable, "-m", "fazhi.collect.child", str(job)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, encoding="utf-8", preexec_fn=die_with_parent(),
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            _follow(proc, on_event)
        except KeyboardInterrupt:
            # The child got the Ctrl-C too and stops cleanly (in-flight requests end, its queue is
            # saved for the next run); dying now would kill it (die_with_parent) mid-way.
            _follow(proc, on_event)
        err = proc.stderr.read() if proc.stderr else ""
        code = proc.wait()
        if code != 0 or not result.exists():
            last = next((ln for ln in reversed(err.strip().splitlines()) if ln.strip()), f"exit status {code}")
            raise FazhiError(f"the crawl stopped: {last.strip()[:300]} (log: {state / 'scrapy.log'})",
                             EXIT_CANNOT_RUN)
        rows = json.loads(result.read_text(encoding="utf-8"))
    return [SiteResult(**row) for row in rows]


def _follow(proc: subprocess.Popen, on_event) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if on_event:
            on_event(event.get("event", ""), event.get("detail", ""))
