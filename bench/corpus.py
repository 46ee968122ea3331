"""A synthetic national corpus: N report texts rewritten from the five bundled sample reports.

    python bench/corpus.py DEST --reports N [--seed S] [--check K] [--variants]

Each file takes one sample (real 法治政府建设年度报告 of districts in 重庆 and 天津), a real place
from the area-code spine (a province, prefecture city or county/district of any province, current
name) and a report year in 2015-2024, and rewrites the sample: the sample's own province, county
(and township) names in title, issuer and body become the chosen place's; the report year, the
year before and after move with it, the publication date falls in the next year's Q1; the counts
the parser reads are scaled by one random factor per report (rounded, order between counts kept)
and rates stay in 0-100. Every (place, year) is used once before any repeats, so no two files are
one report to fazhi (same text hash, or same title/place/year with identical figures).

No sample states a litigation loss rate (两路街道's 无行政败诉 is the government's own, without a
base), so a corpus of them alone would leave the loss-rate comparison and its dashboard chart
empty. SUPPLEMENTS adds one clause in the reports' own style to one sample's template (秀山:
行政诉讼40件 -> 行政诉讼40件,审结38件,败诉3件,败诉率7.89%), so the corpus exercises all four
comparisons. Synthetic text for a synthetic corpus; the bundled samples are never changed.

The sample is read once into a template (literal text and slots), so writing is string joins:
10,000 files take about a second. File i depends only on (seed, i): a corpus of N is a prefix of
one of N + 100, which is how national.py makes its 100 extra reports (`start=N`).

`--variants` writes the opposite corpus (`write_variants`): N/5 variants of each sample under its
own place and year, only its counts scaled, so every variant of a sample has the same title, place
and year and other figures (N/5 new versions of one report each): the loader's near-duplicate
check meets its worst case, many candidates under one (title, year, place).
"""
from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import time
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "ingest" / "samples"
YEARS = range(2015, 2025)
FACTOR = (0.3, 3.0)          # counts are scaled by a log-uniform factor in this range
NOT_REPORTING = ("71", "81", "82")   # 台湾, 香港, 澳门 publish no such reports
# sample file -> (text, text with the clause added): see the module docstring.
SUPPLEMENTS = {"002_de700f0da81c1964.txt": ("行政诉讼40件,", "行政诉讼40件,审结38件,败诉3件,败诉率7.89%,")}

_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")
_YEAR = re.compile(r"(?<![\d\-—–~])(20\d\d)(?!\d)(?![\-—–~]\d)")   # not a plan period 2021—2025
_DATES = (("iso", re.compile(r"(?<!\d)(20\d\d)-(\d\d)-(\d\d)(?!\d)")),
          ("cn", re.compile(r"(?<!\d)(20\d\d)年(\d{1,2})月(\d{1,2})日")))
_CREDIT = re.compile(r"索引号[^0-9A-Z]{0,8}[0-9A-Z]{2}(\d{6})")
_ETHNIC = re.compile(r"^(.{2,}?)(?:[\u4e00-\u9fff]{1,4}族)+自治(县|旗|州)$")


@dataclass(frozen=True)
class Template:
    name: str          # the sample's file name
    year: int          # its report year
    parts: tuple       # str literals and (kind, arg) slots
    metrics: int       # figures the parser reads in the sample
    code: str          # the area code of the sample's own place (a township's county)


@dataclass(frozen=True)
class Place:
    code: str
    level: str
    valid_from: int
    names: dict        # role -> text, see place_roles()


# ---------------------------------------------------------------- places

def short_name(name: str, level: str) -> str:
    """The name without its suffix, as people write it (武隆区 -> 武隆, 秀山土家族苗族自治县 -> 秀山)."""
    if level == "province":
        return re.sub(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$", "", name)
    m = _ETHNIC.match(name)
    if m:
        return m.group(1)
    if len(name) >= 3 and name[-1] in "区县市旗" and not name.endswith(("新区", "矿区", "郊区", "城区")):
        return name[:-1]
    return name


def place_roles(d) -> dict:
    """What each role of a sample's place names becomes for division d."""
    if d.level == "province":
        full = name = prov = d.name
        suffix = {"省": "省", "市": "市"}.get(d.name[-1], "区")
    else:
        full, name, prov, suffix = d.full_name, d.name, d.province, d.name[-1]
    return {"full": full, "name": name, "short": short_name(name, d.level), "prov": prov,
            "prov_short": short_name(prov, "province"), "suffix": suffix, "gov": "人民政府",
            "name_gov": name + "人民政府", "code": d.code}


def places() -> list[Place]:
    from ingest.parse.jurisdiction import divisions

    current = {d.code: d for d in divisions() if d.valid_to is None and d.code[:2] not in NOT_REPORTING}
    return [Place(d.code, d.level, d.valid_from, place_roles(d)) for _, d in sorted(current.items())]


# ---------------------------------------------------------------- templates

def _sample_names(parsed) -> dict[str, str]:
    """The sample's own place strings -> role, from what fazhi resolved it to."""
    from ingest.parse.jurisdiction import aliases

    d = parsed.jurisdiction.division            # the county (a township's county, for 两路街道)
    out = {d.full_name: "full", d.name: "name", d.province: "prov",
           short_name(d.province, "province"): "prov_short"}
    for a in aliases(d) - {d.name}:
        out[a] = "name" if a[-1] in "区县市旗" else "short"
    town = parsed.jurisdiction.township
    if town:  # a street office's report becomes the county's own: 人民政府两路街道办事处 -> 人民政府
        out.update({f"人民政府{town}办事处": "gov", f"人民政府{town}": "gov", f"{town}办事处": "name_gov",
                    town: "name", re.sub(r"(街道|镇|乡)$", "", town): "short", "街道": "suffix"})
    return out


def _claims(text: str, parsed) -> list[tuple[int, int, tuple]]:
    """(start, end, slot) for everything that changes, first claim of a span wins."""
    y0 = parsed.meta.report_year
    claims = [(m.start(1), m.end(1), ("credit", "")) for m in _CREDIT.finditer(text)]
    for style, rx in _DATES:
        claims += [(m.start(), m.end(), ("date", style)) for m in rx.finditer(text)
                   if int(m.group(1)) == y0 + 1 and int(m.group(2)) <= 4]
    claims += [(m.start(1), m.end(1), ("year", int(m.group(1)) - y0)) for m in _YEAR.finditer(text)
               if abs(int(m.group(1)) - y0) <= 1]
    names = _sample_names(parsed)
    rx = re.compile("|".join(sorted(map(re.escape, names), key=len, reverse=True)))
    claims += [(m.start(), m.end(), ("place", names[m.group()])) for m in rx.finditer(text)]
    for metric in parsed.metrics:   # only the figures fazhi reads: no phone numbers, no 第3
        for m in _NUMBER.finditer(text, metric.start, metric.end):
            if text[m.end():m.end() + 1] in ("年", "月", "日"):
                continue
            kind = "rate" if text[m.end():m.end() + 1] in ("%", "％") and float(m.group()) <= 100 else "count"
            claims.append((m.start(), m.end(), (kind, m.group())))
    return claims


def template(path: Path) -> Template:
    from ingest.parse import parse_document
    from ingest.read import read_path

    doc = read_path(path)
    if path.name in SUPPLEMENTS:
        old, new = SUPPLEMENTS[path.name]
        assert doc.text.count(old) == 1, f"{path.name}: the supplement's anchor {old!r} moved"
        doc = replace(doc, text=doc.text.replace(old, new))
    parsed = parse_document(doc, with_keywords=False)
    # The template is the text fazhi reads (the page footer it cuts is gone), so metric offsets hold.
    text = doc.text
    parts, at = [], 0
    for start, end, slot in sorted(_claims(text, parsed), key=lambda c: c[0]):
        if start < at:
            continue    # overlaps an earlier claim (a year inside a date, a figure twice)
        parts += [text[at:start], slot]
        at = end
    parts.append(text[at:])
    return Template(path.name, parsed.meta.report_year, tuple(parts), len(parsed.metrics),
                    parsed.jurisdiction.division.code)


@lru_cache(maxsize=1)
def templates() -> tuple[Template, ...]:
    return tuple(template(p) for p in sorted(SAMPLES.glob("*.txt")))


# ---------------------------------------------------------------- rendering

def _decimals(s: str) -> int:
    return len(s.split(".")[1]) if "." in s else 0


def _count(s: str, factor: float) -> str:
    v = float(s) * factor
    d = _decimals(s)
    if d:
        return f"{v:.{d}f}"
    return str(max(1, round(v)) if float(s) > 0 else 0)


def _rate(s: str, factor: float) -> str:
    """Low rates scale with the factor, high ones move their distance to 100: stays in 0-100."""
    r = float(s)
    v = r * factor if r < 50 else 100 - (100 - r) * factor
    v = min(100.0, max(0.0, v))
    return f"{v:.{_decimals(s)}f}"


def render(t: Template, place: Place, year: int, published: date, factor: float) -> str:
    out = []
    for p in t.parts:
        if isinstance(p, str):
            out.append(p)
            continue
        kind, arg = p
        if kind == "place":
            out.append(place.names[arg])
        elif kind == "year":
            out.append(str(year + arg))
        elif kind == "date":
            out.append(published.isoformat() if arg == "iso" else
                       f"{published.year}年{published.month}月{published.day}日")
        elif kind == "count":
            out.append(_count(arg, factor))
        elif kind == "rate":
            out.append(_rate(arg, factor))
        else:   # credit: the division code inside the 索引号's credit code
            out.append(place.code[:6])
    return "".join(out)


def _pairs(all_places: list[Place], seed: int) -> list[tuple[int, int]]:
    """Every (place, year) with the place existing under its current name that year, shuffled."""
    pairs = [(i, y) for i, p in enumerate(all_places) for y in YEARS if p.valid_from <= y]
    random.Random(seed).shuffle(pairs)
    return pairs


def write_corpus(dest: Path, reports: int, *, seed: int = 0, start: int = 0) -> dict:
    """Write files start..start+reports-1 of the corpus for seed into dest; returns a summary with
    the manifest (file, code, name, level, year, sample, factor) also written to DEST.json."""
    t0 = time.perf_counter()
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    temps, all_places = templates(), places()
    pairs = _pairs(all_places, seed)
    manifest, size = [], 0
    for i in range(start, start + reports):
        rng = random.Random(seed * 1_000_003 + i)   # file i is the same whatever N is
        place_i, year = pairs[i % len(pairs)]
        place, t = all_places[place_i], temps[rng.randrange(len(temps))]
        factor = math.exp(rng.uniform(math.log(FACTOR[0]), math.log(FACTOR[1])))
        published = date(year + 1, 1, 1) + timedelta(days=rng.randrange(90))
        name = f"{i:06d}_{place.code}_{year}.txt"
        data = render(t, place, year, published, factor).encode("utf-8")
        (dest / name).write_bytes(data)
        size += len(data)
        manifest.append({"file": name, "code": place.code, "name": place.names["full"], "level": place.level,
                         "year": year, "sample": t.name, "factor": round(factor, 4)})
    summary = {"reports": reports, "seed": seed, "start": start, "bytes": size,
               "seconds": round(time.perf_counter() - t0, 2), "dir": str(dest)}
    dest.with_suffix(".json").write_text(json.dumps({**summary, "manifest": manifest}, ensure_ascii=False),
                                         encoding="utf-8")
    return {**summary, "manifest": manifest}


def write_variants(dest: Path, reports: int, *, seed: int = 0) -> dict:
    """reports/5 variants of each sample (interleaved: file i is sample i % 5), each under the
    sample's own place and year, published on one date, its counts scaled by its own factor."""
    t0 = time.perf_counter()
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    temps = templates()
    own = {p.code: p for p in places() if p.code in {t.code for t in temps}}
    manifest, size = [], 0
    for i in range(reports):
        rng = random.Random(seed * 1_000_003 + i)
        t = temps[i % len(temps)]
        place = own[t.code]
        factor = math.exp(rng.uniform(math.log(FACTOR[0]), math.log(FACTOR[1])))
        name = f"{i:06d}_variant_{t.name}"
        data = render(t, place, t.year, date(t.year + 1, 1, 15), factor).encode("utf-8")
        (dest / name).write_bytes(data)
        size += len(data)
        manifest.append({"file": name, "code": place.code, "name": place.names["full"], "level": place.level,
                         "year": t.year, "sample": t.name, "factor": round(factor, 4)})
    summary = {"reports": reports, "seed": seed, "start": 0, "variants": True, "bytes": size,
               "seconds": round(time.perf_counter() - t0, 2), "dir": str(dest)}
    dest.with_suffix(".json").write_text(json.dumps({**summary, "manifest": manifest}, ensure_ascii=False),
                                         encoding="utf-8")
    return {**summary, "manifest": manifest}


def check(dest: Path, manifest: list[dict], sample: int = 100, seed: int = 0) -> dict:
    """Parse a sample of the files: share resolving to the chosen place and year, metrics per file
    against the sample report's own count."""
    from ingest.parse import parse_file

    expected = {t.name: t.metrics for t in templates()}
    picked = random.Random(seed).sample(manifest, min(sample, len(manifest)))
    place_ok = year_ok = 0
    ratios, misses = [], []
    for m in picked:
        p = parse_file(Path(dest) / m["file"], with_keywords=False)
        code_ok = p.jurisdiction.code == m["code"]
        place_ok += code_ok
        year_ok += p.meta.report_year == m["year"]
        ratios.append(len(p.metrics) / max(1, expected[m["sample"]]))
        if not code_ok or p.meta.report_year != m["year"]:
            misses.append(f"{m['file']} ({m['name']} {m['year']}): parsed {p.jurisdiction.name} "
                          f"{p.jurisdiction.code} {p.meta.report_year}")
    n = len(picked)
    return {"checked": n, "place_share": place_ok / n, "year_share": year_ok / n,
            "metrics_ratio": sum(ratios) / n, "misses": misses}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dest", type=Path)
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--check", type=int, default=100, help="files to parse back (0: none)")
    ap.add_argument("--variants", action="store_true",
                    help="N/5 number-scaled variants of each sample under its own title, place and year")
    args = ap.parse_args()
    write = write_variants if args.variants else write_corpus
    s = write(args.dest, args.reports, seed=args.seed)
    print(f"wrote {s['reports']} reports ({s['bytes'] / 1e6:.1f} MB) to {s['dir']} in {s['seconds']} s")
    if args.check:
        c = check(args.dest, s["manifest"], args.check, args.seed)
        print(f"parsed back {c['checked']}: place right {c['place_share']:.1%}, year right "
              f"{c['year_share']:.1%}, metrics {c['metrics_ratio']:.2f}x the sample's")
        for line in c["misses"][:10]:
            print("  miss:", line)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
