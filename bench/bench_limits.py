"""Parse time against input size: throughput on large reports and on deeply nested HTML.

    python bench/bench_limits.py [--sizes 1 2 4 8] [--depth 40000] [--no-keywords]

Large reports are built from the bundled seeds: the first seed's header, then paragraphs drawn
at random from all five with their figures changed, so the text has the headings, figures and
tables of real reports but is never one paragraph repeated. Each size is parsed in a fresh
process, which reports its MB/s and peak resident memory (start-up excluded from the time, not
from the memory). Linear parsing shows as MB/s that stays flat as the size grows.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "ingest" / "samples"


def big_report(mb: float, seed: int = 1) -> str:
    """A realistic report of about `mb` MB (UTF-8)."""
    rnd = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    first = texts[0].split("\n")
    head = "\n".join(first[:6]) + "\n"
    paras = [ln for t in texts for ln in t.split("\n")[6:] if ln.strip()]
    out, size = [head], len(head.encode())
    while size < mb * 2**20:
        p = re.sub(r"\d+", lambda m: str(rnd.randint(1, 999)), rnd.choice(paras)) + "\n"
        out.append(p)
        size += len(p.encode())
    return "".join(out)


def deep_page(depth: int) -> str:
    return ("<html><body>" + "<div>" * depth + "全年办理行政复议案件12件。" + "</div>" * depth + "</body></html>")


_CHILD = """
import json, resource, sys, time, warnings
warnings.filterwarnings("ignore")
from ingest.extract.catalogue import load
from ingest.parse.jurisdiction import _index
from ingest.parse.tagging import keyword_tables
from ingest.parse import parse_file
from ingest.read import Limits
path, keywords = sys.argv[1], sys.argv[2] == "1"
load(), _index(), keyword_tables()
t = time.perf_counter()
p = parse_file(path, with_keywords=keywords, limits=Limits(max_file_mb=1000, file_seconds=3600))
elapsed = time.perf_counter() - t
print(json.dumps({"seconds": elapsed, "metrics": len(p.metrics), "measures": len(p.measures),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(path: Path, keywords: bool) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(path), "1" if keywords else "0"],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[1, 2, 4, 8], help="report sizes in MB")
    ap.add_argument("--depth", type=int, default=40000, help="nesting depth of the HTML page")
    ap.add_argument("--no-keywords", action="store_true", help="skip jieba keyword tagging")
    ap.add_argument("--tmp", type=Path, default=Path("/tmp"), help="where the generated files go")
    args = ap.parse_args()
    keywords = not args.no_keywords
    baseline = run(SAMPLES / "000_589d680d9df8ead4.txt", keywords)["rss_mb"]
    print(f"resident memory after start-up (one seed parsed): {baseline:.0f} MB")
    for mb in args.sizes:
        path = args.tmp / f"fazhi-bench-{mb:g}mb.txt"
        path.write_text(big_report(mb), encoding="utf-8")
        size = path.stat().st_size / 2**20
        r = run(path, keywords)
        print(f"{size:5.1f} MB text: {r['seconds']:6.1f} s  {size / r['seconds']:.2f} MB/s  "
              f"peak RSS {r['rss_mb']:.0f} MB  ({r['measures']} measures, {r['metrics']} metrics)")
        path.unlink()
    page = args.tmp / f"fazhi-bench-deep{args.depth}.html"
    page.write_text(deep_page(args.depth), encoding="utf-8")
    r = run(page, keywords)
    print(f"HTML nested {args.depth} <div>s deep ({page.stat().st_size / 1024:.0f} KB): {r['seconds']:.2f} s, "
          f"peak RSS {r['rss_mb']:.0f} MB, {r['metrics']} metric(s)")
    page.unlink()


if __name__ == "__main__":
    main()
