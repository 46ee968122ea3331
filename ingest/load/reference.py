"""The reference data every report is loaded against: the indicator catalogue (from
ingest/extract/indicators.yaml) and the spine of administrative divisions with their history
(from ingest/parse/data/areacodes.csv). Reports are written by write.py."""
from __future__ import annotations

from sqlalchemy import Connection, text

from ingest.extract import catalogue
from ingest.parse.jurisdiction import divisions, lineage_ids


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
