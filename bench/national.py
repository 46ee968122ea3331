"""National-scale benchmark (issue 11): a synthetic corpus of N reports through parse, ingest,
dbt build and dashboard queries, in a throw-away warehouse, with a figures table.

    python bench/national.py --reports 1000 [--jobs J] [--work DIR] [--seed S] [--json FILE]
    python bench/national.py --reports 100000 --direct      # core tables written directly
    python bench/national.py --reports 1000 --variants --skip-parse --skip-dbt --skip-dashboard
                             # N/5 versions of each sample under one title, place and year

Steps: corpus (bench/corpus.py) -> jieba floor -> parse -> migrate -> ingest -> re-ingest ->
dbt build -> +100 reports and the build after them -> dashboard queries; peak memory of the
loader with its workers and of Postgres during parse and ingest. The warehouse is
$FAZHI_HOME=WORK/home (an embedded Postgres of its own) unless DATABASE_URL is set.
Without --work, WORK is a temp folder, removed at the end with its server stopped.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT)]   # bench modules first: dashboard, synth_core

import corpus  # noqa: E402
import natsteps  # noqa: E402
from procmem import PeakMemory, postmaster_pid  # noqa: E402

STEPS = ("jieba", "parse", "ingest", "dbt", "dashboard")


def log(msg: str) -> None:
    print(f"[national {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def options(argv=None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "),
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--reports", type=int, default=1000, help="corpus size (default 1000)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: cpus)")
    ap.add_argument("--work", type=Path, help="keep corpus and warehouse here (an existing corpus of the "
                                              "same size and seed is reused; the server is left running)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--check", type=int, default=100, help="corpus files parsed back to check place and year")
    ap.add_argument("--repeat", type=int, default=50, help="runs of each dashboard query")
    ap.add_argument("--direct", action="store_true", help="no files: bench/synth_core.py writes N reports "
                                                          "into the core tables; then dbt build and dashboards")
    ap.add_argument("--variants", action="store_true", help="the corpus is N/5 number-scaled variants of each "
                                                            "sample under its own title, place and year "
                                                            "(corpus.write_variants)")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON to this file")
    for step in STEPS:
        ap.add_argument(f"--skip-{step}", action="store_true", help=f"skip the {step} step")
    return ap.parse_args(argv)


def setup(args) -> tuple[Path, bool]:
    """The work folder, and whether it is ours to remove. The warehouse goes in WORK/home so the
    embedded server is private (and the CLI subprocesses find it through the environment)."""
    temp = args.work is None
    work = Path(tempfile.mkdtemp(prefix="fazhi-national-")) if temp else args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    if temp:
        # mkdtemp makes it 0700; as root the embedded server runs as its own user and must pass
        # through to WORK/home (fazhi refuses a FAZHI_HOME below a closed folder).
        work.chmod(0o711)
    if "DATABASE_URL" not in os.environ:
        os.environ["FAZHI_HOME"] = str(work / "home")
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    return work, temp


def get_corpus(work: Path, args) -> tuple[Path, dict]:
    dest = work / "corpus"
    meta_file = dest.with_suffix(".json")
    if meta_file.exists():
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        same = ((meta["reports"], meta["seed"], meta["start"], meta.get("variants", False))
                == (args.reports, args.seed, 0, args.variants))
        if same and sum(1 for _ in dest.iterdir()) == args.reports:
            log(f"reusing corpus {dest} ({args.reports} reports, seed {args.seed})")
            return dest, meta
        shutil.rmtree(dest, ignore_errors=True)
    log(f"writing {args.reports} {'variant ' if args.variants else ''}reports to {dest} ...")
    write = corpus.write_variants if args.variants else corpus.write_corpus
    meta = write(dest, args.reports, seed=args.seed)
    log(f"corpus: {meta['reports']} files, {meta['bytes'] / 1e6:.1f} MB in {meta['seconds']} s")
    return dest, meta


def check_corpus(dest: Path, meta: dict, args, figures: dict) -> None:
    if not args.check:
        return
    c = corpus.check(dest, meta["manifest"], args.check, args.seed)
    figures["corpus_check"] = {k: v for k, v in c.items() if k != "misses"} | {"misses": c["misses"][:20]}
    log(f"corpus check: {c['checked']} parsed back, place right {c['place_share']:.1%}, year right "
        f"{c['year_share']:.1%}, metrics {c['metrics_ratio']:.2f}x the sample's")
    for line in c["misses"][:5]:
        log(f"  miss: {line}")


def pg_pid() -> int | None:
    home = os.environ.get("FAZHI_HOME")
    return postmaster_pid(Path(home) / "pgdata") if home else None


def run_files(args, work: Path, figures: dict) -> None:
    """Corpus, jieba floor, parse, ingest, re-ingest, +100: everything that starts from files."""
    dest, meta = get_corpus(work, args)
    figures["corpus"] = {k: meta[k] for k in ("reports", "bytes", "seconds", "seed")}
    check_corpus(dest, meta, args, figures)
    paths = sorted(str(p) for p in dest.iterdir())
    if not args.skip_jieba:
        log(f"jieba floor: extract_tags(topK=20) per report, {args.jobs} processes ...")
        figures["jieba"] = natsteps.jieba_floor(paths, args.jobs)
        log(f"jieba floor: {natsteps.rate_line(figures['jieba'])}")
    if not args.skip_parse:
        log(f"parse: parse_file per report, {args.jobs} processes ...")
        with PeakMemory() as mem:
            mem.track("loader+workers", os.getpid())
            figures["parse"] = natsteps.parse_rate(paths, args.jobs)
        figures["parse"]["peak_mb"] = mem.peaks_mb()["loader+workers"]
        log(f"parse: {natsteps.rate_line(figures['parse'])}, peak {figures['parse']['peak_mb']} MB")
    if args.skip_ingest and args.skip_dbt:
        return
    figures["migrate"] = natsteps.migrate(log)
    if args.skip_ingest:
        return   # dbt on what the warehouse holds (a --work warehouse of an earlier run)
    held = natsteps.counts()["report"]
    if held:
        log(f"WARNING: the warehouse already holds {held} reports (an earlier --work run): the ingest figures "
            f"are not from an empty warehouse; remove {os.environ.get('FAZHI_HOME', 'it')} for a clean run")
    figures["ingest"] = ingest(dest, args.jobs, "ingest", work)
    figures["reingest"] = ingest(dest, args.jobs, "re-ingest", work)


def ingest(folder: Path, jobs: int, label: str, work: Path) -> dict:
    """`fazhi ingest FOLDER` as a user runs it, with the peak memory of its tree and of Postgres."""
    cmd = [natsteps.FAZHI, "ingest", str(folder)]
    if natsteps.ingest_has_jobs():
        cmd += ["--jobs", str(jobs)]
    before = natsteps.counts()
    log(f"{label}: {' '.join(cmd[1:])} ...")
    with PeakMemory() as mem, open(work / f"{label}.log", "w") as out:
        mem.track("postgres", pg_pid())
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        mem.track("fazhi", proc.pid)
        code = proc.wait()
        seconds = time.perf_counter() - t
    after = natsteps.counts()
    if code not in (0, 1):
        raise SystemExit(f"{label} failed with exit {code}; see {work / f'{label}.log'}")
    loaded = after["report"] - before["report"]
    files = sum(1 for p in folder.iterdir() if p.is_file())
    fig = {"files": files, "loaded": loaded, "failed": after["ingest_failure"] - before["ingest_failure"],
           "metrics": after["metric"] - before["metric"], "seconds": round(seconds, 2),
           "reports_per_s": round(files / seconds, 2), "exit": code, "jobs_flag": "--jobs" in cmd,
           "peak_mb": mem.peaks_mb()}
    log(f"{label}: {files} files ({loaded} new reports, {fig['metrics']} metrics, {fig['failed']} failed) in "
        f"{seconds:.1f} s = {fig['reports_per_s']} files/s; peak {fig['peak_mb']}")
    return fig


def run_dbt(args, work: Path, figures: dict) -> None:
    figures["dbt_build"] = natsteps.dbt_build(work / "dbt-build.log", log)
    if args.direct or args.skip_ingest:
        return   # the +100 step adds files through ingest
    extra = work / "extra"
    shutil.rmtree(extra, ignore_errors=True)
    # Files N..N+99 of the same seed: new places and years, not versions of the corpus' reports.
    corpus.write_corpus(extra, 100, seed=args.seed, start=args.reports)
    figures["ingest_plus_100"] = ingest(extra, args.jobs, "ingest-plus-100", work)
    figures["dbt_incremental"] = natsteps.dbt_build(work / "dbt-incremental.log", log)


def run_direct(args, figures: dict) -> None:
    try:
        import synth_core  # bench/synth_core.py, written by another helper
    except ImportError as exc:
        raise SystemExit(f"--direct needs bench/synth_core.py with generate(reports, *, seed): {exc}") from None
    figures["migrate"] = natsteps.migrate(log)
    log(f"DIRECT: bench/synth_core.py writes {args.reports} synthetic reports straight into the core tables "
        "(no files, no parsing, no ingest) ...")
    t = time.perf_counter()
    result = synth_core.generate(args.reports, seed=args.seed)
    figures["direct_generate"] = {"seconds": round(time.perf_counter() - t, 2), "result": result,
                                  "core_rows": natsteps.counts()}
    log(f"DIRECT: core tables generated directly in {figures['direct_generate']['seconds']} s: {result}; "
        f"core now holds {figures['direct_generate']['core_rows']}")


def dashboard(repeat: int) -> list[dict]:
    """p50/p95 per view and query shape, from bench/dashboard.py (another helper's) when present."""
    try:
        from dashboard import measure
    except ImportError:
        log("dashboard: bench/dashboard.py not found, using the minimal fallback queries")
        rows = fallback_dashboard(repeat)
    else:
        log(f"dashboard: bench/dashboard.py measure(repeat={repeat}) ...")
        rows = [_normalised(r) for r in measure(repeat=repeat)]
    for r in rows:
        log(f"  {r['name']}: p50 {r.get('p50_ms')} ms, p95 {r.get('p95_ms')} ms")
    return rows


def _normalised(r: dict) -> dict:
    """Whatever keys dashboard.measure uses, a name and p50_ms/p95_ms for the summary."""
    name = r.get("name") or ":".join(str(r[k]) for k in ("view", "shape", "query") if k in r) or "?"
    pick = lambda tag: next((v for k, v in r.items() if tag in k), None)  # noqa: E731
    return {**r, "name": name, "p50_ms": pick("p50"), "p95_ms": pick("p95")}


# REPLACE with bench/dashboard.py (the other helper's measure()) once it is in: this is the minimum
# to have a figure, three query shapes on the four comparison views and their Chinese twins.
FALLBACK_VIEWS = [("cmp_head_appearance_rate", "出庭应诉率"), ("cmp_correction_rate", "复议纠错率"),
                  ("cmp_loss_rate", "败诉率"), ("cmp_mediation_success_rate", "调解成功率")]


def fallback_dashboard(repeat: int) -> list[dict]:
    from sqlalchemy import text

    from fazhi.warehouse import engine

    out = []
    with engine().connect() as conn:
        for view, zh in FALLBACK_VIEWS:
            # the busiest province-year and the longest series: the heaviest page a dashboard shows
            top = conn.execute(text(f"select province, report_year from marts.{view} "
                                    "group by 1, 2 order by count(*) desc, 1, 2 limit 1")).first()
            if top is None:
                continue
            prov, year = top
            lineage = conn.execute(text(f"select lineage_id from marts.{view} "
                                        "group by 1 order by count(*) desc, 1 limit 1")).scalar()
            shapes = {
                "province_year": (f"select * from marts.{view} where province = :p and report_year = :y", {}),
                "lineage_series": (f"select * from marts.{view} where lineage_id = :l order by report_year", {}),
                "year_top20": (f"select * from marts.{view} where report_year = :y "
                               "order by chosen_rate desc nulls last limit 20", {}),
                "zh_province_year": (f'select * from marts_zh."{zh}" where "省份" = :p and "年份" = :y', {}),
            }
            for shape, (sql, _) in shapes.items():
                params = {k: v for k, v in {"p": prov, "y": year, "l": lineage}.items() if f":{k}" in sql}
                out.append({"name": f"{view}:{shape}", **_timed(conn, text(sql), params, repeat)})
    return out


def _timed(conn, sql, params: dict, repeat: int, budget: float = 5.0) -> dict:
    """p50/p95 over `repeat` runs, or fewer (at least 5) when a slow query would take over `budget` s."""
    conn.execute(sql, params).all()   # plan and cache warm, not timed
    times: list[float] = []
    start = time.perf_counter()
    while len(times) < repeat and (len(times) < 5 or time.perf_counter() - start < budget):
        t = time.perf_counter()
        rows = conn.execute(sql, params).all()
        times.append(1000 * (time.perf_counter() - t))
    times.sort()
    return {"rows": len(rows), "runs": len(times), "p50_ms": round(times[len(times) // 2], 2),
            "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 2)}


def finish(work: Path, temp: bool) -> None:
    if temp:
        if "DATABASE_URL" not in os.environ:
            subprocess.run([natsteps.FAZHI, "db-stop"], cwd=ROOT, capture_output=True)
        shutil.rmtree(work, ignore_errors=True)
    else:
        log(f"kept {work} (corpus, logs, warehouse in {os.environ.get('FAZHI_HOME', 'DATABASE_URL')}); "
            "the server is still running: FAZHI_HOME=... fazhi db-stop")


def main(argv=None) -> None:
    args = options(argv)
    work, temp = setup(args)
    figures: dict = {"reports": args.reports, "variants": args.variants, "jobs": args.jobs, "cpus": os.cpu_count(), "direct": args.direct,
                     "warehouse": "DATABASE_URL" if "DATABASE_URL" in os.environ else "embedded (WORK/home)"}
    log(f"{args.reports} reports, {args.jobs} jobs, work {work}{' (temporary)' if temp else ''}")
    figures["load_before"] = os.getloadavg()[0]
    if figures["load_before"] > 0.5:   # a shared machine: figures are only as good as the idle cores
        log(f"WARNING: load average {figures['load_before']:.1f} before the run: other work shares the cpus")
    try:
        if args.direct:
            run_direct(args, figures)
        else:
            run_files(args, work, figures)
        if not args.skip_dbt:
            run_dbt(args, work, figures)
        if not args.skip_dashboard and "dbt_build" in figures:
            figures["dashboard"] = dashboard(args.repeat)
    finally:
        figures["load_after"] = os.getloadavg()[0]
        natsteps.dispose()
        rows = natsteps.summary(figures)
        print(natsteps.table(rows), flush=True)
        if args.json:
            args.json.write_text(json.dumps({"figures": figures, "summary": rows}, ensure_ascii=False, indent=1,
                                            default=str), encoding="utf-8")
            log(f"figures written to {args.json}")
        finish(work, temp)


if __name__ == "__main__":
    main()
