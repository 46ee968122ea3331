"""fazhi collect's speed and memory against a local server, zero delay.

    python bench/bench_collect.py [--pages 2000] [--engines]

A column of --pages report pages (20 to a list page, tests/collect/collect_sites.py: bench_site)
is served by a threaded http.server in a process of its own. Printed:
- `fazhi collect` (the real crawl: Scrapy in its child process, every page saved with its sidecar):
  pages per second on the first run and on the rerun (every page a conditional request answered
  304), and the peak RSS of the crawl process;
- with --engines, the engines alone (no saving): Scrapy and a small asyncio/httpx loop with
  protego for robots.txt, each in a fresh process, at one connection per host (what fazhi uses)
  and at eight: pages per second and peak RSS. httpx is not a fazhi dependency: install it to
  compare.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "collect")]

from collect_sites import SiteServer, bench_site  # noqa: E402


def _serve(pages: int, queue) -> None:
    with SiteServer(bench_site(pages)) as server:
        queue.put(server.base)
        time.sleep(3600)


def serve(pages: int) -> tuple[mp.Process, str]:
    queue = mp.Queue()
    proc = mp.Process(target=_serve, args=(pages, queue), daemon=True)
    proc.start()
    return proc, queue.get(timeout=30)


def run_collect(base: str, out: Path, home: Path) -> tuple[float, int, str]:
    env = {**os.environ, "FAZHI_HOME": str(home), "FAZHI_COLLECT_DELAY": "0", "FAZHI_COLLECT_CONTACT": "bench@example.org",
           "PYTHONPATH": str(ROOT)}
    # Measured in a process of its own, so maxrss is the crawl's (its largest process).
    code = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
            "r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
            "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
            "print(r.stdout[-600:] if r.returncode else '')")
    got = subprocess.run([sys.executable, "-c", code, sys.executable, "-m", "fazhi", "collect", "--url",
                          base + "/b/index.html", "--code", "500101", "--out", str(out)],
                         capture_output=True, text=True, env=env, cwd=ROOT)
    first, *rest = got.stdout.splitlines()
    seconds, rss_kb = first.split()
    return float(seconds), int(rss_kb), "\n".join(rest).strip()


ENGINE = r'''
import asyncio, resource, sys, time
from urllib.parse import urljoin
from lxml import html as lh

def links(base, body):
    return [urljoin(base, a.get("href")) for a in lh.fromstring(body).iter("a") if a.get("href")]

def scrapy_run(start, per_host):
    import scrapy
    from scrapy.crawler import CrawlerProcess
    count = [0]
    class S(scrapy.Spider):
        name = "bench"
        start_urls = [start]
        def parse(self, response):
            count[0] += 1
            for u in links(response.url, response.body):
                yield scrapy.Request(u)
    p = CrawlerProcess({"LOG_LEVEL": "ERROR", "CONCURRENT_REQUESTS_PER_DOMAIN": per_host, "ROBOTSTXT_OBEY": True,
                        "AUTOTHROTTLE_ENABLED": True, "AUTOTHROTTLE_START_DELAY": 0, "DOWNLOAD_DELAY": 0,
                        "TELNETCONSOLE_ENABLED": False, "REMOTE_CONTROL_ENABLED": False})
    t = time.perf_counter(); p.crawl(S); p.start()
    return count[0], time.perf_counter() - t

def httpx_run(start, per_host):
    import httpx
    from protego import Protego
    async def main():
        seen, queue, n = {start}, asyncio.Queue(), 0
        queue.put_nowait(start)
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=per_host)) as client:
            robots = Protego.parse((await client.get(urljoin(start, "/robots.txt"))).text)
            async def worker():
                nonlocal n
                while True:
                    url = await queue.get()
                    try:
                        if robots.can_fetch(url, "*"):
                            r = await client.get(url); n += 1
                            for u in links(url, r.content):
                                if u not in seen:
                                    seen.add(u); queue.put_nowait(u)
                    finally:
                        queue.task_done()
            workers = [asyncio.create_task(worker()) for _ in range(per_host)]
            await queue.join()
            for w in workers: w.cancel()
        return n
    t = time.perf_counter(); n = asyncio.run(main())
    return n, time.perf_counter() - t

engine, start, per_host = sys.argv[1], sys.argv[2], int(sys.argv[3])
n, dt = (scrapy_run if engine == "scrapy" else httpx_run)(start, per_host)
print(n, dt, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
'''


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--engines", action="store_true", help="also compare the engines alone (needs httpx)")
    args = ap.parse_args()
    server, base = serve(args.pages)
    lists = (args.pages + 19) // 20
    try:
        with tempfile.TemporaryDirectory(prefix="fazhi-bench-collect-") as tmp:
            out, home = Path(tmp) / "out", Path(tmp) / "home"
            for label in ("first run", "rerun (304s)"):
                seconds, rss, err = run_collect(base, out, home)
                requests = args.pages + lists
                print(f"fazhi collect {label:13}: {requests} requests in {seconds:5.2f} s = "
                      f"{requests / seconds:6.0f} pages/s, peak RSS {rss / 1024:.0f} MB" + (f"\n{err}" if err else ""))
            print(f"  saved {len(list(out.rglob('*.html')))} pages, {sum(f.stat().st_size for f in out.rglob('*')) / 1e6:.1f} MB")
        if args.engines:
            for engine in ("scrapy", "httpx"):
                for per_host in (1, 8):
                    got = subprocess.run([sys.executable, "-c", ENGINE, engine, base + "/b/index.html", str(per_host)],
                                         capture_output=True, text=True, cwd=ROOT)
                    if got.returncode:
                        print(f"{engine}: {got.stderr.strip().splitlines()[-1]}")
                        continue
                    n, dt, rss = got.stdout.split()
                    print(f"engine {engine:6} {per_host} connection(s) per host: {int(n) / float(dt):6.0f} pages/s, "
                          f"peak RSS {int(rss) / 1024:.0f} MB")
    finally:
        server.kill()


if __name__ == "__main__":
    main()
