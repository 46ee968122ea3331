"""PDF reading: pages per second and text fidelity, fazhi's reader against the candidate libraries.

    python bench/bench_pdf.py [--long-pages 120] [--repeat 3]

PDFs are generated from the bundled seeds (tests/pdfgen.py, needs the test extra's fpdf2): each
seed in Noto Sans CJK (OpenType/CFF) and in SimHei (TrueType), one two-column, one with a ruled
table, and a long report of about --long-pages pages. For each library the raw call is timed
(pages/s) and its text scored as character recall: the share of the source's characters (spaces
aside) found in order. PyMuPDF (AGPL) is measured for reference only, when it is installed.
"""
from __future__ import annotations

import argparse
import difflib
import io
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

TABLE = [["指标", "数量", "单位"], ["行政复议收案数", "57", "件"], ["行政复议审结数", "52", "件"],
         ["行政应诉案件数", "31", "件"], ["人民调解案件数", "1286", "件"]]


def recall(source: str, got: str) -> float:
    a, b = re.sub(r"\s+", "", source), re.sub(r"\s+", "", got)
    blocks = difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    return sum(m.size for m in blocks) / len(a)


def pdfium_text(data: bytes) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))


def plumber_text(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as doc:
        return "\n".join(p.extract_text() or "" for p in doc.pages)


def pdfminer_text(data: bytes) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(data))


def mupdf_text(data: bytes) -> str:
    import pymupdf

    return "\n".join(p.get_text() for p in pymupdf.open(stream=data, filetype="pdf"))


def fazhi_text(data: bytes) -> str:
    from ingest.read import read_bytes

    return read_bytes(data, "bench.pdf").text


LIBS = {"fazhi read_bytes (pypdfium2 + layout)": fazhi_text, "pypdfium2 get_text_range": pdfium_text,
        "pdfplumber extract_text": plumber_text, "pdfminer.six extract_text": pdfminer_text,
        "PyMuPDF get_text (AGPL, reference)": mupdf_text}


def tables(data: bytes) -> dict[str, str]:
    """Whether each library's table finder returns the table's rows."""
    want = [[c for c in row] for row in TABLE]
    out = {}
    got = fazhi_text(data)
    out["fazhi"] = "ok" if all(" | ".join(r) in got for r in want) else "missed"
    try:
        import pdfplumber

        with pdfplumber.open(io.BytesIO(data)) as doc:
            found = [t for p in doc.pages for t in p.extract_tables()]
        out["pdfplumber"] = "ok" if want in found else f"missed ({len(found)} tables)"
    except ImportError:
        out["pdfplumber"] = "not installed"
    try:
        import pymupdf

        found = [t.extract() for p in pymupdf.open(stream=data, filetype="pdf") for t in p.find_tables().tables]
        out["PyMuPDF"] = "ok" if want in found else f"missed ({len(found)} tables)"
    except ImportError:
        out["PyMuPDF"] = "not installed"
    return out


def cases(long_pages: int) -> dict[str, tuple[str, bytes, int]]:
    import pypdfium2 as pdfium
    from bench_limits import big_report
    from conftest import SEEDS
    from pdfgen import Layout, report_pdf

    out = {}
    for font, tag in (("NotoSansCJKsc-Regular.otf", "otf"), ("SimHei.ttf", "ttf")):
        for p in SEEDS:
            text = p.read_text(encoding="utf-8")
            out[f"{p.name[:3]}-{tag}"] = (text, report_pdf(text, Layout(font=font)))
        text = SEEDS[1].read_text(encoding="utf-8")
        out[f"two-column-{tag}"] = (text, report_pdf(text, Layout(font=font, two_column=True)))
    text = big_report(long_pages * 3.6 / 1024)
    out["long-ttf"] = (text, report_pdf(text, Layout(font="SimHei.ttf")))
    return {k: (t, d, len(pdfium.PdfDocument(d))) for k, (t, d) in out.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--long-pages", type=int, default=120, help="pages of the long report")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per file (the best is kept)")
    args = ap.parse_args()
    t = time.perf_counter()
    docs = cases(args.long_pages)
    print(f"generated {len(docs)} PDFs in {time.perf_counter() - t:.0f} s "
          f"(long report: {docs['long-ttf'][2]} pages)\n")
    for name, fn in LIBS.items():
        try:
            fn(docs["000-ttf"][1])
        except ImportError:
            print(f"{name}: not installed\n")
            continue
        print(name)
        for group in ("otf", "ttf"):
            keys = [k for k in docs if k.endswith(group) and not k.startswith(("two", "long"))]
            _report(f"  5 seeds, {group}", [docs[k] for k in keys], fn, args.repeat)
            _report(f"  two-column, {group}", [docs[f"two-column-{group}"]], fn, args.repeat)
        _report("  long report, ttf", [docs["long-ttf"]], fn, 1)
        print()
    from pdfgen import Layout, report_pdf

    table = report_pdf("某某县司法局2023年法治政府建设情况报告\n全年主要工作数据见下表。", Layout(
        font="SimHei.ttf", table=TABLE, table_after=1))
    print("ruled table (5 rows x 3 columns):", ", ".join(f"{k} {v}" for k, v in tables(table).items()))


def _report(label: str, docs: list[tuple[str, bytes, int]], fn, repeat: int) -> None:
    seconds, pages, size, scores = 0.0, 0, 0, []
    for text, data, n in docs:
        best = float("inf")
        for _ in range(repeat):
            t = time.perf_counter()
            got = fn(data)
            best = min(best, time.perf_counter() - t)
        seconds, pages, size = seconds + best, pages + n, size + len(data)
        if n < 60:   # scoring a long text's recall takes longer than reading it
            scores.append(recall(text, got))
    line = f"{label:24s} {pages / seconds:8.1f} pages/s {size / 2**20 / seconds:6.2f} MB/s"
    print(line + (f"   character recall {sum(scores) / len(scores):.4f}" if scores else ""))

if __name__ == "__main__":
    main()
