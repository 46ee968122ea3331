"""Report writes: many reports per transaction and per COPY, each report still all-or-nothing.

A batch is decided with a few queries (files already loaded, reports already present by text,
near-duplicate candidates by their stored near keys), then written with one COPY per table. If
Postgres refuses anything in the batch, the batch is rolled back and written again one report per
transaction, so the bad report is found and recorded and no other report is lost (the loader in
batch.py does that).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from psycopg import Cursor
from sqlalchemy import Connection

from ingest.parse import ParsedReport
from ingest.parse.jurisdiction import Resolution

from . import identity
from .copyrows import MEASURE_COLUMNS, METRIC_COLUMNS, NEAR_KEY_COLUMNS, line, with_report_id
from .prepare import REPORT_COLUMNS, Prepared, prepare

SOURCE_COLUMNS = ("report_id", "content_hash", "source_path", "file_format", "encoding", "is_primary", "source_url",
                  "source_page")
NEAR_CANDIDATES = 20   # loaded reports sharing a key compared at most (a run of look-alike versions)


@dataclass
class Jurisdictions:
    """(code, valid_from) -> (jurisdiction_id, lineage_id) of the county-and-up spine, read once."""
    rows: dict[tuple[str, int], tuple[int, str]] = field(default_factory=dict)

    def load(self, cur: Cursor) -> None:
        cur.execute("select code, valid_from, jurisdiction_id, lineage_id from core.jurisdiction "
                    "where level <> 'township'")
        self.rows = {(c, f): (i, lin) for c, f, i, lin in cur.fetchall()}

    def id_of(self, cur: Cursor, res: Resolution) -> int | None:
        d = res.division
        if d is None:
            return None
        if not self.rows:
            self.load(cur)
        parent = self.rows.get((d.code, d.valid_from))
        if parent is None or res.level != "township":
            return parent[0] if parent else None
        # A township with its nine-digit code is its own lineage (the code list has no history);
        # one the list lacks is known by its name under its county's lineage.
        lineage = res.code or f"{parent[1]}/{res.township}"[:24]
        cur.execute("""
            insert into core.jurisdiction (code, name, full_name, level, province, city, parent_id, lineage_id)
            values (%s, %s, %s, 'township', %s, %s, %s, %s)
            on conflict (parent_id, name) where level = 'township' do update set full_name = excluded.full_name,
                code = coalesce(excluded.code, core.jurisdiction.code),
                lineage_id = case when excluded.code is not null then excluded.lineage_id
                                  else core.jurisdiction.lineage_id end
            returning jurisdiction_id""", (res.code, res.township, res.name, d.province,
                                           d.city if d.city not in ("", "直辖") else None, parent[0], lineage))
        return cur.fetchone()[0]


def load_report(conn: Connection, parsed: ParsedReport) -> str:
    """Load one parsed report in the caller's transaction, as a batch of one: 'loaded',
    'alternate' (another file of a report already loaded) or 'present' (this file was loaded)."""
    with conn.connection.driver_connection.cursor() as cur:
        return write_batch(cur, [prepare(parsed)], Jurisdictions())[0]


def write_batch(cur: Cursor, items: list[Prepared], juris: Jurisdictions, reparse: bool = False) -> list[str]:
    """Write a batch in the caller's transaction; per item 'loaded', 'alternate' (another file of a
    report already present), 'present' (this very file was loaded before) or, with `reparse`,
    'reparsed' (this file's report was dropped and loaded again from the new parse)."""
    replaced = _drop_reports_of(cur, items) if reparse else {}
    known = known_sources(cur, [it.content_hash for it in items])
    by_key = _by_text_key(cur, [it.text_key for it in items if it.content_hash not in known])
    near = _sharing(cur, [k for it in items if it.near_keys and it.text_key not in by_key for k in it.near_keys])
    statuses: list[str] = []
    new: list[Prepared] = []
    alternates: list[tuple[Prepared, int | Prepared]] = []
    local: dict[str, Prepared] = {}
    local_near: dict[int, list[tuple[int, Prepared]]] = {}   # key -> (position in new, report)
    seen: set[str] = set()
    for it in items:
        if it.content_hash in known or it.content_hash in seen:
            statuses.append("present")
            continue
        seen.add(it.content_hash)
        target = by_key.get(it.text_key) or local.get(it.text_key) or _near(cur, it, near, local_near)
        if target is not None:
            alternates.append((it, target))
            statuses.append("alternate")
        else:
            new.append(it)
            local[it.text_key] = it
            for key in it.near_keys or ():
                local_near.setdefault(key, []).append((len(new) - 1, it))
            statuses.append("reparsed" if it.content_hash in replaced else "loaded")
    if new:
        _insert(cur, new, juris)
    sources = [(it, it.report_id, True) for it in new]
    sources += [(it, t if isinstance(t, int) else t.report_id, False) for it, t in alternates]
    if sources:
        _copy(cur, "core.report_source", SOURCE_COLUMNS,
              "".join(line((rid, it.content_hash, it.source, it.file_format, it.encoding, primary, it.source_url,
                            it.source_page))
                      for it, rid, primary in sources))
        # These files load now: an earlier failure of the same path is history.
        cur.execute("delete from core.ingest_failure where source_path = any(%s)",
                    ([it.source for it, *_ in sources],))
    if replaced:
        _reattach(cur, replaced, {it.content_hash: rid for it, rid, _ in sources})
    return statuses


def _insert(cur: Cursor, new: list[Prepared], juris: Jurisdictions) -> None:
    cur.execute("select nextval(pg_get_serial_sequence('core.report', 'report_id')) from generate_series(1, %s)",
                (len(new),))
    for it, (rid,) in zip(new, cur.fetchall()):
        it.report_id = rid
    _copy(cur, "core.report", REPORT_COLUMNS,
          "".join(it.report_line(it.report_id, juris.id_of(cur, it.resolution)) for it in new))
    _copy(cur, "core.measure", MEASURE_COLUMNS, "".join(with_report_id(it.measure_rows, it.report_id) for it in new))
    _copy(cur, "core.metric", METRIC_COLUMNS, "".join(with_report_id(it.metric_rows, it.report_id) for it in new))
    _copy(cur, "core.report_near_key", NEAR_KEY_COLUMNS,
          "".join(with_report_id(it.near_key_rows, it.report_id) for it in new))


def _copy(cur: Cursor, table: str, columns: tuple[str, ...], data: str) -> None:
    if data:
        with cur.copy(f"copy {table} ({', '.join(columns)}) from stdin") as cp:
            cp.write(data.encode("utf-8"))


def _drop_reports_of(cur: Cursor, items: list[Prepared]) -> dict[str, list[tuple]]:
    """Re-parse: drop the reports these files are the primary source of (their measures, figures
    and sources go with them), so the new parse loads in their place under new ids. Returns, per
    file, the alternate sources of its old report, to attach to the new one. Researchers'
    corrections are not tied to report ids (core.correction): they apply to the new rows."""
    cur.execute("select content_hash, report_id from core.report_source where is_primary and content_hash = any(%s)",
                ([it.content_hash for it in items],))
    primaries = dict(cur.fetchall())
    if not primaries:
        return {}
    cur.execute("""select report_id, content_hash, source_path, file_format, encoding, added_at, source_url,
                   source_page from core.report_source where not is_primary and report_id = any(%s)""", (list(primaries.values()),))
    alternates: dict[int, list[tuple]] = {}
    for rid, *row in cur.fetchall():
        alternates.setdefault(rid, []).append(tuple(row))
    cur.execute("delete from core.report where report_id = any(%s)", (list(primaries.values()),))
    return {digest: alternates.get(rid, []) for digest, rid in primaries.items()}


def _reattach(cur: Cursor, replaced: dict[str, list[tuple]], report_of: dict[str, int]) -> None:
    """The alternate files of a re-parsed report stay its alternates (the same report in other files)."""
    rows = [(report_of[digest], *alt) for digest, alts in replaced.items() if digest in report_of for alt in alts]
    if rows:
        cur.executemany("""insert into core.report_source (report_id, content_hash, source_path, file_format,
                           encoding, added_at, source_url, source_page, is_primary)
                           values (%s, %s, %s, %s, %s, %s, %s, %s, false)""", rows)


def primary_sources(cur: Cursor, hashes: list[str]) -> set[str]:
    """Which of these files a report was read from (not an alternate of one)."""
    cur.execute("select content_hash from core.report_source where is_primary and content_hash = any(%s)", (hashes,))
    return {h for (h,) in cur.fetchall()}


def known_sources(cur: Cursor, hashes: list[str]) -> set[str]:
    """Which of these files (by the hash of their bytes) were loaded before, primary or alternate."""
    cur.execute("select content_hash from core.report_source where content_hash = any(%s)", (hashes,))
    return {h for (h,) in cur.fetchall()}


def _by_text_key(cur: Cursor, keys: list[str]) -> dict[str, int]:
    cur.execute("select text_hash, report_id from core.report where text_hash = any(%s)", (keys,))
    return dict(cur.fetchall())


def _sharing(cur: Cursor, keys: list[int]) -> dict[int, list[int]]:
    """Reports already loaded sharing any of these near keys, by key (core.report_near_key)."""
    out: dict[int, list[int]] = {}
    if keys:
        cur.execute("select near_key, report_id from core.report_near_key where near_key = any(%s::bigint[])",
                    (sorted(set(keys)),))
        for key, rid in cur.fetchall():
            out.setdefault(key, []).append(rid)
    return out


def _near(cur: Cursor, it: Prepared, near: dict[int, list[int]],
          batch: dict[int, list[tuple[int, Prepared]]]) -> int | Prepared | None:
    """A report under the same title, place and year with nearly the same words (a page's chrome,
    a PDF's lost line breaks) and exactly the same figures: the same report in another file.
    A version with one figure changed is another report. Only reports sharing a near key
    (identity.near_keys: same title, year, place and figures, similar runs) are compared, in
    full, as before."""
    if not it.near_keys:
        return None
    triple = (it.title, it.year, it.place)
    for rid in sorted({rid for key in it.near_keys for rid in near.get(key, ())})[:NEAR_CANDIDATES]:
        cur.execute("select title, report_year, jurisdiction_name, text from core.report where report_id = %s",
                    (rid,))
        *theirs, other = cur.fetchone()
        if (tuple(theirs) == triple and identity.same_report(it.text, other)
                and it.figures == _figures(cur, rid)):
            return rid
    in_batch = {pos: other for key in it.near_keys for pos, other in batch.get(key, ())}
    for _, other in sorted(in_batch.items()):
        if ((other.title, other.year, other.place) == triple and identity.same_report(it.text, other.text)
                and it.figures == other.figures):
            return other
    return None


def _figures(cur: Cursor, report_id: int) -> list[tuple[str, float, str, str]]:
    """prepare.figures of a report loaded before."""
    cur.execute("select indicator_code, value, scope, place_name from core.metric where report_id = %s", (report_id,))
    return sorted((code, float(value), scope or "", place or "") for code, value, scope, place in cur.fetchall())
