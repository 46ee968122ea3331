"""Peak memory and time to refusal of small files that unpack or render to far more than their size.

    python bench/bench_bombs.py [--mb 250] [--cases docx liar merge span pdf] [--env FAZHI_MAX_FILE_MB=20]

Each case is built (tests/bombs.py) into a temporary folder and read by a real `fazhi parse --json
-j 1` in a fresh process; printed: the file's size, the wall time, the peak resident memory of that
process tree (getrusage of the children, which counts the largest process) and what fazhi said.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import bombs

# Runs the command and prints its peak RSS (kB) and wall time: isolated, so maxrss is this run's.
_MEASURE = """
import resource, subprocess, sys, time
t = time.perf_counter()
out = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, time.perf_counter() - t)
print(out.stdout.strip().splitlines()[-1] if out.stdout.strip() else out.stderr.strip()[-300:])
"""

CASES = {
    "docx": ("docx, document.xml of {mb} MB", lambda mb: ("bomb.docx", bombs.docx_bomb(mb))),
    "liar": ("docx, {mb} MB headed as 1 KB", lambda mb: ("liar.docx", bombs.liar_docx(mb))),
    "merge": ("docx, one cell filled down (~{mb} M chars)", lambda mb: ("merge.docx", bombs.merge_docx(int(mb * 10)))),
    "span": ("html, cells spread 50x50 (~{mb} M chars)", lambda mb: ("span.html", bombs.span_html(max(1, int(mb / 50))))),
    "pdf": ("pdf, content stream of {mb} MB", lambda mb: ("flate.pdf", bombs.flate_pdf(mb))),
}


def measure(path: Path, env: dict[str, str]) -> tuple[float, float, str]:
    cmd = [sys.executable, "-m", "fazhi", "parse", "--json", "--no-keywords", "-j", "1", str(path)]
    out = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT), **env}, check=True)
    first, said = (out.stdout.strip().split("\n", 1) + [""])[:2]
    kb, seconds = first.split()
    try:
        got = json.loads(said)
        said = f"refused: {got['error']}" if "error" in got else f"read: {len(got.get('metrics', []))} metrics"
    except (json.JSONDecodeError, TypeError):
        pass
    return int(kb) / 1024, float(seconds), said


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=250, help="how large the bombs unpack or render to")
    ap.add_argument("--cases", nargs="+", choices=sorted(CASES), default=list(CASES))
    ap.add_argument("--env", nargs="*", default=[], help="settings for the runs, NAME=VALUE")
    args = ap.parse_args()
    env = dict(item.split("=", 1) for item in args.env)
    with tempfile.TemporaryDirectory(prefix="fazhi-bombs-") as tmp:
        for name in args.cases:
            label, build = CASES[name]
            filename, data = build(args.mb)
            path = Path(tmp, filename)
            path.write_bytes(data)
            rss, seconds, said = measure(path, env)
            print(f"{label.format(mb=f'{args.mb:g}'):42} {len(data) / 2**20:6.2f} MB file  {seconds:6.1f} s  "
                  f"peak RSS {rss:6.0f} MB  {said}")
            path.unlink()


if __name__ == "__main__":
    main()
