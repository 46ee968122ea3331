"""Ingest throughput into Postgres: copies of the bundled reports (each made distinct) loaded
through the same path as `fazhi ingest` (one transaction per report, COPY for rows).

    python bench/bench_ingest.py [--copies 40]

Uses $DATABASE_URL or a throw-away embedded Postgres in a temp folder.
"""
from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")
SAMPLES = Path(__file__).resolve().parent.parent / "ingest" / "samples"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--copies", type=int, default=40)
    args = ap.parse_args()
    own = "DATABASE_URL" not in os.environ
    if own:
        os.environ["FAZHI_HOME"] = tempfile.mkdtemp(prefix="fazhi-bench-")
    from sqlalchemy import text

    from fazhi.warehouse import engine, migrate
    from fazhi.warehouse.config import fazhi_home, stop_embedded
    from ingest.load import ingest_paths

    work = Path(tempfile.mkdtemp(prefix="fazhi-bench-files-"))
    seeds = sorted(SAMPLES.glob("*.txt"))
    for i in range(args.copies):
        for s in seeds:
            (work / f"{i:03d}_{s.name}").write_text(s.read_text(encoding="utf-8") + f"\n(副本 {i})\n", encoding="utf-8")
    try:
        migrate()
        ingest_paths(engine(), [])  # reference data first, so it is not timed
        t = time.perf_counter()
        summary = ingest_paths(engine(), [work])
        elapsed = time.perf_counter() - t
        with engine().connect() as conn:
            metrics = conn.execute(text("select count(*) from core.metric")).scalar()
        n = summary.count("loaded")
        print(f"ingested {n} reports ({metrics} metrics) in {elapsed:.1f} s: {n / elapsed:.1f} reports/s")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if own:
            stop_embedded()
            shutil.rmtree(fazhi_home(), ignore_errors=True)


if __name__ == "__main__":
    main()
