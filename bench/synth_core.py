"""Synthetic national corpus straight into the core tables, for benchmarks of the marts.

Ingesting 100,000 files takes hours; the marts only need core rows shaped like real ones. This
parses the bundled sample reports once, then writes N reports with COPY into core.report,
core.report_source, core.measure and core.metric:

- each report takes one sample's text, passages and figures, plus the figures of a second sample
  moved onto its passages (≈30 figures and ≈40 passages per report, as in real reports);
- a real jurisdiction of the division spine (province, city or county, in use that year; every
  province), a year in 2015-2024, an issuer (the government or its 司法局) and a kind (mostly
  annual reports; some other reports, statistics and news; same place, year, issuer and kind
  make versions, as in real data);
- counts scaled by a random factor per report, rates by a factor at most 1 (capped at 100), and
  the numerators of rates by both, so recomputed rates stay close to the stated ones;
- unique text and file hashes (of the report id, not of the text).

    python bench/synth_core.py --reports 100000 [--seed 0]

The database is the one setting of fazhi/warehouse/config.py (DATABASE_URL, else the embedded server in
FAZHI_HOME); the core schema is migrated and the division spine loaded first if needed.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fazhi.warehouse import engine, migrate  # noqa: E402
from ingest.extract import catalogue  # noqa: E402
from ingest.load import sync_reference  # noqa: E402
from ingest.parse import ParsedReport, parse_file  # noqa: E402

SAMPLES = Path(__file__).resolve().parent.parent / "ingest" / "samples"
YEARS = range(2015, 2025)
KINDS = [("annual_report", 85), ("other_report", 5), ("statistics", 3), ("news", 7)]
CHUNK = 5000   # reports per transaction: bounded memory, visible progress


def _esc(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    s = str(value)
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _array(items: list[str]) -> str:
    inner = ",".join('"' + i.replace("\\", "\\\\").replace('"', '\\"') + '"' for i in items)
    return _esc("{" + inner + "}")


class Template:
    """One sample, pre-rendered: the rows that do not change from one copy to the next."""

    def __init__(self, parsed: ParsedReport, other: ParsedReport):
        self.text = _esc(parsed.doc.text)
        self.pages = parsed.doc.pages
        # Passages: everything but report_id is fixed.
        self.measures = ["\t".join(_esc(v) for v in (m.ordinal, m.parent_ordinal, m.depth, m.section, m.heading,
                                                     m.text, m.start, m.end, m.section_kind)) + "\t"
                         + _array(m.topics) + "\t" + _array(m.keywords) for m in parsed.measures]
        ordinals = [m.ordinal for m in parsed.measures]
        # The second sample's figures sit in this sample's passage of the same rank (or the last).
        moved = [(min(m.measure_ordinal, ordinals[-1]), m) for m in other.metrics]
        self.metrics = [(m.measure_ordinal, m) for m in parsed.metrics] + moved


def load_templates() -> list[Template]:
    parsed = [parse_file(p) for p in sorted(SAMPLES.glob("*.txt"))]
    return [Template(p, parsed[(i + 1) % len(parsed)]) for i, p in enumerate(parsed)]


def jurisdictions(conn) -> list[tuple]:
    """Provinces, cities and counties of the spine with the years they are in use."""
    return conn.execute(text("""
        select jurisdiction_id, full_name, level, coalesce(valid_from, 1980), coalesce(valid_to, 9999)
        from core.jurisdiction
        where level in ('province', 'city', 'county') and coalesce(valid_to, 9999) >= 2015
        order by jurisdiction_id""")).all()


def _scaler(rng: random.Random, numerators: set[str], kinds: dict[str, str]):
    f, g = rng.uniform(0.5, 2.0), rng.uniform(0.85, 1.0)

    def scale(code: str, value: Decimal) -> Decimal:
        kind = kinds.get(code)
        if kind == "rate":
            return min(Decimal(100), round(value * Decimal(g), 2))
        factor = f * g if code in numerators else f
        return round(value * Decimal(factor), 0 if kind == "count" else 2)
    return scale


def _report_rows(i: int, rid: int, tpl: Template, place: tuple, year: int, rng: random.Random, seed: int):
    jid, name, *_ = place
    kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
    issuer = name + rng.choice(["人民政府", "司法局"])
    title = f"{issuer}关于{year}年度法治政府建设情况的报告"
    published = date(year + 1, 1, 1) + timedelta(days=rng.randrange(150))
    # The report id makes the hashes unique across runs with the same seed.
    digest = hashlib.sha256(f"fazhi synth {seed} {rid}".encode()).hexdigest()
    path = f"synth/{seed}/{rid}.txt"
    report = "\t".join(_esc(v) for v in (rid, digest, digest, path, None, "text", "utf-8", title, kind, issuer,
                                         year, published, jid, name)) + "\t" + tpl.text + "\t\\N\tf\t\\N\n"
    source = "\t".join(_esc(v) for v in (rid, digest, path, "text", "utf-8", True)) + "\n"
    return report, source


def generate(reports: int, *, seed: int = 0) -> dict:
    """Write `reports` synthetic reports into the core tables; returns what was written."""
    started = time.perf_counter()
    rng = random.Random(seed)
    templates = load_templates()
    cat = catalogue.rows()
    kinds = {c["code"]: c["kind"] for c in cat}
    numerators = {c["numerator"] for c in cat if c["numerator"]}
    counts = {"reports": 0, "measures": 0, "metrics": 0}
    migrate()   # idempotent: the core schema, as `fazhi ingest` finds it
    with engine().begin() as conn:
        sync_reference(conn)   # the catalogue and the division spine (loaded once)
        places = jurisdictions(conn)
        before = conn.execute(text("select count(*) from core.report")).scalar()
    for start in range(0, reports, CHUNK):
        n = min(CHUNK, reports - start)
        with engine().begin() as conn:
            ids = conn.execute(text("select nextval(pg_get_serial_sequence('core.report', 'report_id')) "
                                    "from generate_series(1, :n)"), {"n": n}).scalars().all()
            _write_chunk(conn, range(start, start + n), ids, templates, places, rng, seed, kinds, numerators, counts)
        print(f"  {start + n:>8,} reports written ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    counts["seconds"] = round(time.perf_counter() - started, 1)
    counts["reports_before"] = before
    return counts


def _write_chunk(conn, numbers, ids, templates, places, rng, seed, kinds, numerators, counts) -> None:
    reports, sources, measures, metrics = [], [], [], []
    for i, rid in zip(numbers, ids):
        tpl = templates[rng.randrange(len(templates))]
        place = places[rng.randrange(len(places))]
        year = rng.randrange(max(2015, place[3]), min(2024, place[4]) + 1)
        report, source = _report_rows(i, rid, tpl, place, year, rng, seed)
        reports.append(report)
        sources.append(source)
        prefix = f"{rid}\t"
        measures.extend(prefix + m + "\n" for m in tpl.measures)
        scale, seen = _scaler(rng, numerators, kinds), set()
        for ordinal, m in tpl.metrics:
            value = scale(m.indicator, m.value)
            key = (m.indicator, m.scope, m.start, value)
            if key in seen:   # two figures of one table row scaled to the same value
                continue
            seen.add(key)
            metrics.append("\t".join(_esc(v) for v in (rid, ordinal, m.indicator, value, m.unit, m.qualifier, m.scope,
                                                       m.breakdown, m.evidence, m.start, m.end, m.out_of_range)) + "\n")
    _copy(conn, "core.report", "report_id, content_hash, text_hash, source_path, source_url, file_format, encoding, "
          "title, kind, issuer, report_year, published_on, jurisdiction_id, jurisdiction_name, text, warnings, ocr, "
          "pages", reports)
    _copy(conn, "core.report_source", "report_id, content_hash, source_path, file_format, encoding, is_primary", sources)
    _copy(conn, "core.measure", "report_id, ordinal, parent_ordinal, depth, section, heading, text, start_offset, "
          "end_offset, section_kind, topics, keywords", measures)
    _copy(conn, "core.metric", "report_id, measure_ordinal, indicator_code, value, unit, qualifier, scope, breakdown, "
          "evidence, start_offset, end_offset, out_of_range", metrics)
    counts["reports"] += len(reports)
    counts["measures"] += len(measures)
    counts["metrics"] += len(metrics)


def _copy(conn, table: str, columns: str, lines: list[str]) -> None:
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(f"copy {table} ({columns}) from stdin") as cp:
        for at in range(0, len(lines), 2000):
            cp.write("".join(lines[at:at + 2000]).encode("utf-8"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    done = generate(args.reports, seed=args.seed)
    print(f"wrote {done['reports']:,} reports ({done['measures']:,} measures, {done['metrics']:,} figures) "
          f"in {done['seconds']} s; {done['reports_before'] + done['reports']:,} reports in core.report now")


if __name__ == "__main__":
    main()
