"""Database writes: migrations, reference data, and one transaction per report (COPY for rows)."""
from __future__ import annotations

import json
from functools import lru_cache

from sqlalchemy import Connection, Engine, create_engine, text

from . import identity
from .config import PROJECT_ROOT, database_url, sqlalchemy_url
from .extract import catalogue
from .jurisdiction import divisions, lineage_ids
from .parse import ParsedReport


@lru_cache(maxsize=4)
def _engine(url: str) -> Engine:
    return create_engine(sqlalchemy_url(url), pool_pre_ping=True)


def engine() -> Engine:
    return _engine(database_url())


def alembic_config():
    from alembic.config import Config

    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    return cfg


def migrate(revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(), revision)


def downgrade(revision: str = "base") -> None:
    from alembic import command

    command.downgrade(alembic_config(), revision)


def sync_reference(conn: Connection) -> None:
    """Indicator catalogue (upsert) and the division spine (once; it is versioned data)."""
    conn.execute(text("""
        insert into core.indicator (code, family, name_zh, unit, kind, core, numerator, denominator, definition,
                                    min_value, max_value)
        values (:code, :family, :name_zh, :unit, :kind, :core, :numerator, :denominator, :definition,
                :min_value, :max_value)
        on conflict (code) do update set family = excluded.family, name_zh = excluded.name_zh,
            unit = excluded.unit, kind = excluded.kind, core = excluded.core, numerator = excluded.numerator,
            denominator = excluded.denominator, definition = excluded.definition,
            min_value = excluded.min_value, max_value = excluded.max_value"""),
                 catalogue.rows())
    present = conn.execute(text("select count(*) from core.jurisdiction where level <> 'township'")).scalar()
    if present:
        return
    lineage = lineage_ids()
    rows = [(d.code, d.name, d.full_name, d.level, d.province, d.city if d.city not in ("", "直辖") else None,
             d.valid_from, d.valid_to, d.status, ";".join(d.successors) or None, lineage[d.code])
            for d in {(d.code, d.valid_from): d for d in divisions()}.values()]
    _copy(conn, "core.jurisdiction", ["code", "name", "full_name", "level", "province", "city", "valid_from",
                                      "valid_to", "status", "successor_codes", "lineage_id"], rows)
    # Parent: the city (xxxx00) or else the province (xx0000) row of the same era.
    conn.execute(text("""
        update core.jurisdiction j set parent_id = p.jurisdiction_id
        from core.jurisdiction p
        where j.level <> 'province' and p.jurisdiction_id = (
            select q.jurisdiction_id from core.jurisdiction q
            where q.code in (left(j.code, 4) || '00', left(j.code, 2) || '0000') and q.code <> j.code
              and q.valid_from <= coalesce(j.valid_to, 9999) and coalesce(q.valid_to, 9999) >= j.valid_from
            order by q.code desc, q.valid_from desc limit 1)"""))


def _copy(conn: Connection, table: str, columns: list[str], rows, types: list[str] | None = None) -> None:
    raw = conn.connection.driver_connection
    with raw.cursor() as cur:
        with cur.copy(f"copy {table} ({', '.join(columns)}) from stdin") as cp:
            if types:
                cp.set_types(types)
            for row in rows:
                cp.write_row(row)


def _jurisdiction_id(conn: Connection, parsed: ParsedReport) -> int | None:
    res = parsed.jurisdiction
    if res.division is None:
        return None
    d = res.division
    parent = conn.execute(text("select jurisdiction_id, lineage_id from core.jurisdiction "
                               "where code = :c and valid_from = :f"), {"c": d.code, "f": d.valid_from}).first()
    if parent is None or res.level != "township":
        return parent[0] if parent else None
    # A township with its nine-digit code is its own lineage (the code list has no history);
    # one the list lacks is known by its name under its county's lineage.
    lineage = res.code or f"{parent[1]}/{res.township}"[:24]
    return conn.execute(text("""
        insert into core.jurisdiction (code, name, full_name, level, province, city, parent_id, lineage_id)
        values (:code, :name, :full, 'township', :prov, :city, :parent, :lineage)
        on conflict (parent_id, name) where level = 'township' do update set full_name = excluded.full_name,
            code = coalesce(excluded.code, core.jurisdiction.code),
            lineage_id = case when excluded.code is not null then excluded.lineage_id else core.jurisdiction.lineage_id end
        returning jurisdiction_id"""), {"code": res.code, "name": res.township, "full": res.name, "prov": d.province,
                                        "city": d.city if d.city not in ("", "直辖") else None,
                                        "parent": parent[0], "lineage": lineage}).scalar()


def known_source(conn: Connection, content_hash: str) -> int | None:
    """The report a file (by the hash of its bytes) was already loaded as, primary or alternate."""
    return conn.execute(text("select report_id from core.report_source where content_hash = :h"),
                        {"h": content_hash}).scalar()


def same_report(conn: Connection, parsed: ParsedReport, text_key: str) -> int | None:
    """A report already loaded with the same text: the same words once spacing and punctuation
    are gone, or, under the same title, place and year, nearly the same words (a page's chrome,
    a PDF's lost line breaks) with exactly the same figures. A version with one figure changed is
    another report."""
    found = conn.execute(text("select report_id from core.report where text_hash = :k"), {"k": text_key}).scalar()
    if found is not None or not parsed.meta.title:
        return found
    candidates = conn.execute(text("""
        select report_id, text from core.report
        where title = :title and report_year is not distinct from :year
          and jurisdiction_name is not distinct from :place
        order by report_id limit 20"""), {"title": parsed.meta.title, "year": parsed.meta.report_year,
                                          "place": parsed.jurisdiction.name}).all()
    figures = sorted((m.indicator, float(m.value), m.scope or "") for m in parsed.metrics)
    for report_id, other in candidates:
        if identity.same_report(parsed.doc.text, other) and figures == _figures(conn, report_id):
            return report_id
    return None


def _figures(conn: Connection, report_id: int) -> list[tuple[str, float, str]]:
    rows = conn.execute(text("select indicator_code, value, scope from core.metric where report_id = :r"),
                        {"r": report_id}).all()
    return sorted((code, float(value), scope or "") for code, value, scope in rows)


def _add_source(conn: Connection, report_id: int, doc, primary: bool) -> bool:
    """Record the file as a source of the report; False when it already is (a concurrent run)."""
    added = conn.execute(text("""
        insert into core.report_source (report_id, content_hash, source_path, file_format, encoding, is_primary)
        values (:r, :h, :p, :f, :e, :primary) on conflict (content_hash) do nothing returning source_id"""),
                         {"r": report_id, "h": doc.content_hash, "p": doc.source, "f": doc.file_format,
                          "e": doc.encoding, "primary": primary}).scalar()
    # The file loads now: an earlier failure of the same path is history.
    conn.execute(text("delete from core.ingest_failure where source_path = :p"), {"p": doc.source})
    return added is not None


def load_report(conn: Connection, parsed: ParsedReport) -> str:
    """Insert one parsed report with its measures and metrics, or record the file as another
    source of a report already loaded: 'loaded', 'alternate', or 'present' when this very file
    was loaded before."""
    doc, meta = parsed.doc, parsed.meta
    if known_source(conn, doc.content_hash) is not None:
        return "present"
    key = identity.text_key(doc.text)
    same = same_report(conn, parsed, key)
    if same is not None:
        return "alternate" if _add_source(conn, same, doc, primary=False) else "present"
    # on conflict: a concurrent run (cron overlapping a manual ingest) loaded the same report first.
    report_id = conn.execute(text("""
        insert into core.report (content_hash, text_hash, source_path, source_url, file_format, encoding, title,
            kind, issuer, report_year, published_on, jurisdiction_id, jurisdiction_name, jurisdiction_candidates,
            text, warnings, ocr, pages)
        values (:hash, :key, :path, :url, :fmt, :enc, :title, :kind, :issuer, :year, :pub, :jid, :jname, :cands,
                :text, :warnings, :ocr, :pages)
        on conflict do nothing
        returning report_id"""), {
        "hash": doc.content_hash, "key": key, "path": doc.source, "url": meta.source_url, "fmt": doc.file_format,
        "enc": doc.encoding, "title": meta.title, "kind": parsed.kind, "issuer": meta.issuer, "year": meta.report_year,
        "pub": meta.published_on, "jid": _jurisdiction_id(conn, parsed), "jname": parsed.jurisdiction.name,
        "cands": json.dumps(parsed.jurisdiction.candidates, ensure_ascii=False)
        if parsed.jurisdiction.candidates else None, "text": doc.text,
        "warnings": list(parsed.warnings) or None, "ocr": doc.ocr, "pages": doc.pages}).scalar()
    if report_id is None:
        return "present"
    _add_source(conn, report_id, doc, primary=True)
    _copy(conn, "core.measure", ["report_id", "ordinal", "parent_ordinal", "depth", "section", "heading", "text",
                                 "start_offset", "end_offset", "section_kind", "topics", "keywords"],
          ([report_id, m.ordinal, m.parent_ordinal, m.depth, m.section, m.heading, m.text, m.start, m.end,
            m.section_kind, m.topics, m.keywords] for m in parsed.measures),
          ["int4", "int4", "int4", "int2", "text", "text", "text", "int4", "int4", "text", "text[]", "text[]"])
    _copy(conn, "core.metric", ["report_id", "measure_ordinal", "indicator_code", "value", "unit", "qualifier",
                                "scope", "breakdown", "evidence", "start_offset", "end_offset", "out_of_range"],
          ([report_id, m.measure_ordinal, m.indicator, m.value, m.unit, m.qualifier, m.scope, m.breakdown,
            m.evidence, m.start, m.end, m.out_of_range] for m in parsed.metrics),
          ["int4", "int4", "text", "numeric", "text", "text", "text", "text", "text", "int4", "int4", "bool"])
    return "loaded"


def record_failure(conn: Connection, source: str, content_hash: str, reason: str) -> None:
    conn.execute(text("""
        insert into core.ingest_failure (source_path, content_hash, reason) values (:s, :h, :r)
        on conflict (source_path, content_hash) do update set reason = excluded.reason, failed_at = now()"""),
                 {"s": source, "h": content_hash, "r": reason})


def report_kinds(conn: Connection) -> dict[str, int]:
    """Documents per kind (annual_report, news...), most frequent first."""
    return dict(conn.execute(text("select kind, count(*) from core.report group by kind "
                                  "order by count(*) desc, kind")).all())


def table_counts(conn: Connection) -> dict[str, int]:
    return {t: conn.execute(text(f"select count(*) from core.{t}")).scalar()
            for t in ("jurisdiction", "indicator", "report", "report_source", "measure", "metric", "ingest_failure")}
