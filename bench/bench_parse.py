"""Parse throughput and memory on the bundled reports (no database).

    python bench/bench_parse.py [--repeat 20] [--no-keywords] [--traditional]

Prints start-up time (imports, catalogue, jieba), time to parse the five seeds once, and
steady-state throughput (reports/s, characters/s) with peak Python memory. `--traditional` parses
the seeds written in traditional characters (OpenCC s2t), which the reader converts back, and
prints the conversion's own cost.
"""
from __future__ import annotations

import argparse
import tempfile
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
    ap.add_argument("--traditional", action="store_true", help="parse the seeds in traditional characters")
    args = ap.parse_args()
    files = sorted(SAMPLES.glob("*.txt"))
    if args.traditional:
        files = _traditional(files)
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
    if args.traditional:
        from ingest.read.script import to_simplified

        texts = [f.read_text(encoding="utf-8") for f in files]
        t3 = time.perf_counter()
        for _ in range(args.repeat):
            changed = sum(to_simplified(t)[1] for t in texts)
        per = (time.perf_counter() - t3) / (args.repeat * len(texts))
        print(f"of which traditional -> simplified: {per * 1000:.2f} ms per report "
              f"({changed:,} characters converted in the {len(texts)} seeds)")


def _traditional(files: list[Path]) -> list[Path]:
    import opencc

    s2t = opencc.OpenCC("s2t")
    folder = Path(tempfile.mkdtemp(prefix="fazhi-traditional-"))
    for f in files:
        (folder / f.name).write_text(s2t.convert(f.read_text(encoding="utf-8")), encoding="utf-8")
    return sorted(folder.glob("*.txt"))


if __name__ == "__main__":
    main()
