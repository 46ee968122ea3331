"""fazhi web's speed (issue 22): page latency of the queue, report pages and place pages through a
real HTTP client against the running `fazhi web`, and the time a scripted reviewer needs to go
through queue items in the distribution's Chromium, by keyboard.

    python bench/national.py --reports 10000 --work /tmp/n10k --skip-jieba --skip-parse --skip-dashboard
    FAZHI_HOME=/tmp/n10k/home python bench/bench_web.py [--requests 100] [--items 50] [--json FILE]

Pages (each after --warmup requests, then --requests timed ones, one keep-alive connection, the
body read): `queue` the first page of the queue as it opens; `queue-province` filtered by a
province, all statuses; `queue-deep` the page after rank 1000 (keyset pagination); `report` the
reports of the first --requests queue items, each with its figure selected; `place` as many
places, those with the most reports first. Target: p95 <= 150 ms.

The reviewer (`reviewer-queue`): open the queue, j, Enter (the first unreviewed item's report page),
c (confirm), the page after the redirect loaded; --items times. `reviewer-next`: from there on,
n (the next unreviewed figure) and c, --items times. Then the queue kinds again (`+reviewed`): each
queue row's decision is read live from core.correction, which now holds the reviewer's rows. Each confirmation is a real correction by the
reviewer `bench` in the warehouse: use a throw-away one. Items whose figure cannot be confirmed (a
breakdown, a listed place's figure, a value the check refuses) are passed over and counted.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]

from webdrive import Browser, Server, add_reviewer  # noqa: E402

TARGET_MS = 150


def options(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "),
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--requests", type=int, default=100, help="timed requests per page kind (default 100)")
    ap.add_argument("--warmup", type=int, default=10, help="untimed requests per page kind first (default 10)")
    ap.add_argument("--items", type=int, default=50, help="queue items the scripted reviewer confirms (default 50)")
    ap.add_argument("--skip-reviewer", action="store_true", help="only the page latencies")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON to this file")
    return ap.parse_args(argv)


def stats(ms: list[float]) -> dict:
    ordered = sorted(ms)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return {"n": len(ms), "p50": round(statistics.median(ordered), 1), "p95": round(p95, 1),
            "max": round(ordered[-1], 1), "mean": round(statistics.fmean(ordered), 1)}


def targets(n: int) -> dict[str, list[str]]:
    """The URLs of each page kind: distinct reports and places, read from the marts."""
    from sqlalchemy import text

    from fazhi.warehouse import engine

    with engine().connect() as conn:
        queue = conn.execute(text("""select distinct on (report_id) report_id, metric_id, queue_rank
            from marts.review_queue order by report_id, queue_rank""")).all()
        queue = sorted(queue, key=lambda r: r.queue_rank)[:n]
        places = conn.execute(text("""select lineage_id from marts.report_coverage where lineage_id is not null
            group by lineage_id order by count(*) desc, lineage_id limit :n"""), {"n": n}).scalars().all()
        province = conn.execute(text("""select province from marts.review_queue where province is not null
            group by province order by count(*) desc limit 1""")).scalar()
        ranks = conn.execute(text("select count(*) from marts.review_queue")).scalar()
    deep = min(1000, max(ranks - 60, 0))
    return {"queue": ["/queue"] * n,
            "queue-province": [f"/queue?province={province}&status=all"] * n,
            "queue-deep": [f"/queue?status=all&after={deep}"] * n,
            "report": [f"/report/{r.report_id}?f={r.metric_id}" for r in queue],
            "place": [f"/place/{p}" for p in places]}


def login(client, name: str, password: str) -> None:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    done = client.post("/login", data={"name": name, "password": password, "csrf_token": token})
    if done.status_code != 303:
        raise SystemExit(f"login failed: {done.status_code}")


def page_latency(base: str, password: str, args, kinds=None, suffix: str = "") -> dict:
    import httpx

    results = {}
    with httpx.Client(base_url=base, follow_redirects=False, timeout=30) as client:
        login(client, "bench", password)
        for kind, urls in targets(args.requests).items():
            if not urls or (kinds and kind not in kinds):
                continue
            kind += suffix
            for url in (urls * (args.warmup // len(urls) + 1))[:args.warmup]:
                client.get(url)
            times = []
            for url in urls:
                t = time.perf_counter()
                r = client.get(url)
                _ = r.content
                times.append((time.perf_counter() - t) * 1000)
                if r.status_code != 200:
                    raise SystemExit(f"GET {url}: {r.status_code}")
            results[kind] = {**stats(times), "bytes": len(r.content), "distinct_urls": len(set(urls))}
            print(f"{kind:24} {results[kind]}", flush=True)
    return results


def confirm_here(page) -> bool:
    """c on the report page; True when the confirmation was recorded."""
    card = page.locator("#cards .card.selected")
    if not card.count() or not card.locator(".act-confirm").count():
        return False
    with page.expect_navigation():
        page.keyboard.press("c")
    return page.locator("#flash").count() > 0


def reviewer(base: str, password: str, items: int) -> dict:
    out = {}
    with Browser() as browser:
        page = browser.login(base, "bench", password)
        times, passed = [], 0
        while len(times) < items:
            t = time.perf_counter()
            page.goto(f"{base}/queue")
            for _ in range(passed + 1):          # past the items that could not be confirmed
                page.keyboard.press("j")
            with page.expect_navigation():
                page.keyboard.press("Enter")
            if confirm_here(page):
                times.append((time.perf_counter() - t) * 1000)
            else:
                passed += 1
        out["reviewer-queue"] = {"items": items, "total_s": round(sum(times) / 1000, 2), "per_item_ms": stats(times),
                                 "passed_over": passed}
        print(f"reviewer-queue  {out['reviewer-queue']}", flush=True)

        times, passed = [], 0
        while len(times) < items:
            t = time.perf_counter()
            with page.expect_navigation():
                page.keyboard.press("n")
            if page.evaluate("document.body.dataset.page") != "report":
                break                            # the queue is empty
            if confirm_here(page):
                times.append((time.perf_counter() - t) * 1000)
            else:
                passed += 1
                if passed > items:
                    break   # n keeps opening the same unconfirmable item: stop rather than loop
        out["reviewer-next"] = {"items": len(times), "total_s": round(sum(times) / 1000, 2),
                                "per_item_ms": stats(times) if times else None, "passed_over": passed}
        print(f"reviewer-next   {out['reviewer-next']}", flush=True)
    return out


def main(argv=None) -> None:
    args = options(argv)
    from sqlalchemy import text

    from fazhi.warehouse import engine

    with engine().connect() as conn:
        reports = conn.execute(text("select count(*) from core.report")).scalar()
        queued = conn.execute(text("select count(*) from marts.review_queue")).scalar()
    print(f"warehouse: {reports} reports, {queued} figures in the review queue", flush=True)
    password = add_reviewer("bench")
    figures = {"reports": reports, "queue": queued}
    with Server(Path(tempfile.gettempdir()) / "fazhi-web-bench.log") as server:
        figures["pages"] = page_latency(server.url, password, args)
        if not args.skip_reviewer:
            figures.update(reviewer(server.url, password, args.items))
            # The queue reads each row's decision live from core.correction: again, now that it has some.
            figures["pages"].update(page_latency(server.url, password, args, ("queue", "queue-province", "queue-deep"),
                                                 "+reviewed"))
    print(f"\n{'page':24} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  target p95 <= {TARGET_MS} ms")
    for kind, s in figures["pages"].items():
        print(f"{kind:24} {s['p50']:8} {s['p95']:8} {s['max']:8}  {'yes' if s['p95'] <= TARGET_MS else 'NO'}")
    for kind in ("reviewer-queue", "reviewer-next"):
        r = figures.get(kind)
        if r and r["per_item_ms"]:
            print(f"{kind}: {r['items']} items in {r['total_s']} s; per item p50 {r['per_item_ms']['p50']} ms, "
                  f"p95 {r['per_item_ms']['p95']} ms ({r['passed_over']} passed over)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
