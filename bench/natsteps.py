"""The measuring steps of bench/national.py: process pools for the jieba floor and parse, the
CLI runs (migrate, dbt build), warehouse counts, and the summary table with the issue's targets."""
from __future__ import annotations

import multiprocessing
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAZHI = str(Path(sys.executable).parent / "fazhi")
USERDICT = ROOT / "ingest" / "parse" / "data" / "userdict.txt"


# ---------------------------------------------------------------- process pools

def _jieba_init() -> None:
    import logging

    import jieba
    import jieba.analyse

    jieba.setLogLevel(logging.WARNING)
    jieba.load_userdict(str(USERDICT))
    jieba.analyse.extract_tags("法治政府建设年度报告", topK=20)   # builds the prefix dict now, untimed


def _jieba_one(path: str) -> int:
    import jieba.analyse

    data = Path(path).read_bytes()
    jieba.analyse.extract_tags(data.decode("utf-8"), topK=20)
    return len(data)


_BARRIER = None


def _start(barrier, init) -> None:
    global _BARRIER
    _BARRIER = barrier
    init()


def _rendezvous(_: int) -> int:
    # Each of the `jobs` warm-up tasks waits here for all the others, so each lands on its own
    # worker, and every worker has finished its initializer before the clock starts.
    _BARRIER.wait(timeout=300)
    return os.getpid()


def _pooled(paths: list[str], jobs: int, init, one) -> dict:
    """Time one(path) over all paths in a pool of warmed workers: reports/s and MB/s."""
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_start, initargs=(ctx.Barrier(jobs), init)) as pool:
        started = set(pool.map(_rendezvous, range(jobs)))
        chunk = max(1, len(paths) // (jobs * 16))
        t = time.perf_counter()
        size = sum(pool.map(one, paths, chunksize=chunk))
        seconds = time.perf_counter() - t
    return {"reports": len(paths), "mb": round(size / 1e6, 2), "seconds": round(seconds, 2),
            "workers": len(started), "reports_per_s": round(len(paths) / seconds, 1),
            "mb_per_s": round(size / 1e6 / seconds, 3)}


def jieba_floor(paths: list[str], jobs: int) -> dict:
    return _pooled(paths, jobs, _jieba_init, _jieba_one)


def _prepare(path: str, limits):
    from ingest.load.prepare import parse_one

    return parse_one(Path(path), "", limits)


def parse_rate(paths: list[str], jobs: int) -> dict:
    """fazhi's own parse step, as `fazhi ingest` runs it (ingest.parse.pipeline: forked workers that
    read, parse, tag keywords and prepare COPY rows, streamed back in order), without the loader."""
    from functools import partial

    from ingest.parse import pipeline
    from ingest.read import Limits

    pipeline.warm()
    task = partial(_prepare, limits=Limits.from_env())
    t = time.perf_counter()
    failed = sum(1 for _, got in pipeline.run(task, paths, jobs, died=lambda p: None) if not hasattr(got, "text"))
    seconds = time.perf_counter() - t
    size = sum(os.path.getsize(p) for p in paths)
    return {"reports": len(paths), "mb": round(size / 1e6, 2), "seconds": round(seconds, 2), "workers": jobs,
            "reports_per_s": round(len(paths) / seconds, 1), "mb_per_s": round(size / 1e6 / seconds, 3),
            "failed": failed}


def rate_line(f: dict) -> str:
    return (f"{f['reports']} reports, {f['mb']} MB in {f['seconds']} s = {f['reports_per_s']} reports/s, "
            f"{f['mb_per_s']} MB/s ({f['workers']} workers)")


# ---------------------------------------------------------------- warehouse

def migrate(log) -> dict:
    """Schema (fazhi migrate) and the jurisdiction spine, before any timed ingest."""
    t = time.perf_counter()
    done = subprocess.run([FAZHI, "migrate"], cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"fazhi migrate failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    migrated = time.perf_counter() - t
    from fazhi.warehouse import engine
    from ingest.load import sync_reference

    t = time.perf_counter()
    with engine().begin() as conn:   # what every ingest does first; the first time loads the spine
        sync_reference(conn)
    spine = time.perf_counter() - t
    log(f"migrate {migrated:.1f} s, jurisdiction spine and indicator catalogue {spine:.1f} s (not timed in rates)")
    return {"migrate_seconds": round(migrated, 2), "spine_seconds": round(spine, 2)}


@lru_cache(maxsize=1)
def ingest_has_jobs() -> bool:
    done = subprocess.run([FAZHI, "ingest", "--help"], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "200"})
    return "--jobs" in done.stdout


def counts() -> dict[str, int]:
    from sqlalchemy import text

    from fazhi.warehouse import engine

    with engine().connect() as conn:
        return {t: conn.execute(text(f"select count(*) from core.{t}")).scalar()
                for t in ("report", "metric", "ingest_failure")}


def dbt_build(log_file: Path, log) -> dict:
    """`fazhi dbt build`: the marts from what is loaded (built aside and swapped in), no ingest."""
    log(f"dbt build: fazhi dbt build (log {log_file}) ...")
    t = time.perf_counter()
    with open(log_file, "w") as out:
        code = subprocess.run([FAZHI, "dbt", "build"], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT).returncode
    seconds = time.perf_counter() - t
    plain = re.sub(r"\x1b\[[0-9;]*m", "", log_file.read_text(errors="replace"))   # dbt colours its log
    tail = plain.strip().splitlines()[-1:] or [""]
    log(f"dbt build: exit {code} in {seconds:.1f} s ({tail[0].strip()})")
    return {"seconds": round(seconds, 2), "exit": code, "last_line": tail[0].strip()}


def dispose() -> None:
    """Close our pooled connections, so db-stop does not wait for them."""
    if "fazhi.warehouse.database" in sys.modules:
        try:
            sys.modules["fazhi.warehouse.database"].engine().dispose()
        except Exception:
            pass


# ---------------------------------------------------------------- summary

def _row(step, figure, value, target="", ok=None) -> dict:
    return {"step": step, "figure": figure, "value": value, "target": target,
            "ok": "" if ok is None else ("yes" if ok else "NO")}


def _mem(peak: dict | None) -> str:
    if not peak:
        return "-"
    return f"RSS {peak['rss']} MB" + (f", PSS {peak['pss']} MB" if peak.get("pss") is not None else "")


def summary(f: dict) -> list[dict]:
    rows, n, jobs = [], f["reports"], f["jobs"]
    floor = f.get("jieba")
    if "load_before" in f:
        rows.append(_row("machine", "load average before / after (1 min)",
                         f"{f['load_before']:.2f} / {f.get('load_after', float('nan')):.2f} on {f.get('cpus')} cpus"))
    if f.get("variants"):
        rows.append(_row("corpus", "kind", f"{n // 5} variants of each sample (one title, place, year each)"))
    if "corpus_check" in f:
        c = f["corpus_check"]
        rows.append(_row("corpus", "parsed back: place / year right",
                         f"{c['place_share']:.0%} / {c['year_share']:.0%} of {c['checked']}"))
    if floor:
        rows.append(_row("jieba floor", "reports/s, MB/s", f"{floor['reports_per_s']}, {floor['mb_per_s']}"))
    if "parse" in f:
        p = f["parse"]
        ratio = f", {floor['reports_per_s'] / p['reports_per_s']:.1f}x floor" if floor else ""
        rows.append(_row("parse", "reports/s, MB/s", f"{p['reports_per_s']}, {p['mb_per_s']}{ratio}"))
        rows.append(_row("parse", "peak memory, loader+workers", _mem(p.get("peak_mb"))))
    if "ingest" in f:
        i = f["ingest"]
        rows.append(_row("ingest", f"reports/s ({jobs} jobs{'' if i['jobs_flag'] else ', no --jobs yet'})",
                         i["reports_per_s"], "≥120 on 2 cores", i["reports_per_s"] >= 120 * min(jobs, 2) / 2))
        if floor:
            ratio = floor["reports_per_s"] / i["reports_per_s"]
            rows.append(_row("ingest", "time vs jieba floor", f"{ratio:.1f}x", "≤1.5x", ratio <= 1.5))
        rows.append(_row("ingest", "peak memory, fazhi tree", _mem(i["peak_mb"].get("fazhi"))))
        rows.append(_row("ingest", "peak memory, postgres", _mem(i["peak_mb"].get("postgres"))))
    if "reingest" in f:
        r = f["reingest"]
        per = 1000 * r["seconds"] / max(1, r["files"])
        rows.append(_row("re-ingest", "seconds (ms/report)", f"{r['seconds']} ({per:.1f})", "<10 s at 10k",
                         r["seconds"] < 10 if n >= 10_000 else None))
    if "direct_generate" in f:
        rows.append(_row("DIRECT", "core tables generated by synth_core, s", f["direct_generate"]["seconds"]))
    if "dbt_build" in f:
        d = f["dbt_build"]
        rows.append(_row("dbt build", f"seconds, full{'' if d['exit'] == 0 else ' (FAILED, exit %d)' % d['exit']}",
                         d["seconds"], "≤120 s at 100k",
                         d["exit"] == 0 and d["seconds"] <= 120 if n >= 100_000 or d["exit"] else None))
    if "ingest_plus_100" in f:
        rows.append(_row("+100", "ingest seconds", f["ingest_plus_100"]["seconds"]))
    if "dbt_incremental" in f:
        d = f["dbt_incremental"]
        rows.append(_row("+100", "dbt build seconds" + ("" if d["exit"] == 0 else f" (FAILED, exit {d['exit']})"),
                         d["seconds"], "≤20 s", d["exit"] == 0 and d["seconds"] <= 20))
    if f.get("dashboard"):
        worst = max(f["dashboard"], key=lambda q: q.get("p95_ms", 0))
        rows.append(_row("dashboard", f"worst p95 ms ({len(f['dashboard'])} queries: {worst.get('name', '?')})",
                         worst.get("p95_ms"), "≤50 ms", (worst.get("p95_ms") or 0) <= 50))
    return rows


def table(rows: list[dict]) -> str:
    head = ("step", "figure", "value", "target", "ok")
    cells = [head] + [tuple(str(r[k]) for k in head) for r in rows]
    widths = [max(_width(c[i]) for c in cells) for i in range(len(head))]
    lines = ["  ".join(c[i] + " " * (widths[i] - _width(c[i])) for i in range(len(head))).rstrip() for c in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(["", "national benchmark summary", *lines])


def _width(s: str) -> int:
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in s)   # CJK takes two columns
