"""Database set-up and reference data: the engine, migrations, the indicator catalogue and the
division spine, failures and counts. Reports are written by write.py."""
from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Connection, Engine, create_engine, text

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


def load_report(conn: Connection, parsed: ParsedReport) -> str:
    """Load one parsed report in the caller's transaction, as a batch of one (write.py): 'loaded',
    'alternate' (another file of a report already loaded) or 'present' (this file was loaded)."""
    from .prepare import prepare
    from .write import Jurisdictions, write_batch

    with conn.connection.driver_connection.cursor() as cur:
        return write_batch(cur, [prepare(parsed)], Jurisdictions())[0]


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
            for t in ("jurisdiction", "indicator", "report", "report_source", "measure", "metric", "ingest_failure",
                      "correction")}
