"""Parse throughput and memory on the bundled reports (no database).

    python bench/bench_parse.py [--repeat 20] [--no-keywords]

Prints start-up time (imports, catalogue, jieba), time to parse the five seeds once, and
steady-state throughput (reports/s, characters/s) with peak Python memory.
"""
from __future__ import annotations

import argparse
import time
import tracemalloc
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")
SAMPLES = Path(__file__).resolve().parent.parent / "ingest" / "samples"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--no-keywords", action="store_true", help="skip jieba keyword tagging")
    args = ap.parse_args()
    files = sorted(SAMPLES.glob("*.txt"))
    keywords = not args.no_keywords

    t0 = time.perf_counter()
    from ingest.extract.catalogue import load
    from ingest.parse import parse_file
    from ingest.parse.jurisdiction import _index
    from ingest.parse.tagging import keyword_tables

    load(), _index()
    if keywords:
        keyword_tables()
    startup = time.perf_counter() - t0

    t1 = time.perf_counter()
    parsed = [parse_file(f, with_keywords=keywords) for f in files]
    first = time.perf_counter() - t1

    chars = sum(len(p.doc.text) for p in parsed)
    t2 = time.perf_counter()
    for _ in range(args.repeat):
        for f in files:
            parse_file(f, with_keywords=keywords)
    elapsed = time.perf_counter() - t2
    # Memory in its own pass: tracing slows Python down several times.
    tracemalloc.start()
    for f in files:
        parse_file(f, with_keywords=keywords)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    n = args.repeat * len(files)
    print(f"start-up (imports, catalogue, area codes{', jieba' if keywords else ''}): {startup:.2f} s")
    print(f"first parse of the {len(files)} seeds: {first * 1000:.0f} ms")
    print(f"steady state: {n / elapsed:.1f} reports/s, {chars * args.repeat / elapsed / 1000:.0f}k chars/s "
          f"({elapsed / n * 1000:.1f} ms per report, {len(files)} seeds x {args.repeat})")
    print(f"peak traced Python memory while parsing: {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
