"""Ingest a batch of files: parsed in parallel (`ingest.parse.pipeline`), loaded by one Loader in
batches of reports; a bad file never stops the rest.

Whatever goes wrong with one file (unreadable, a parser bug, a value or constraint the database
refuses) costs only that file: it is recorded in core.ingest_failure with a one-line reason, and
the batch goes on (a batch Postgres refuses is written again report by report). Only a fault of
the warehouse itself (disk full, server gone) stops the batch, with a FazhiError: every report
committed before it stays loaded.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from pathlib import Path

import psycopg
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from ingest.errors import FazhiError
from ingest.parse import pipeline
from ingest.read import NOT_READ, Found, Limits, UnreadableFile, content_hash, discover, hidden, shown

from .prepare import Failed, Prepared, one_line, parse_one
from .reference import sync_reference
from .write import Jurisdictions, known_sources, primary_sources, write_batch

BATCH_REPORTS = 200               # reports per transaction and COPY
BATCH_CHARS = 16_000_000          # ... or fewer when they are large
BATCH_SECONDS = 2.0               # ... or fewer when parsing is slow (OCR), so progress shows
KNOWN_CHUNK = 500                 # files per query for "loaded before?"


@dataclass
class Outcome:
    source: str
    status: str            # loaded / alternate (another file of a loaded report) / present / reparsed / skipped / failed
    reason: str | None = None
    metrics: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


def _driver_error(exc: BaseException) -> BaseException:
    # COPY runs on the raw psycopg connection, so its errors arrive unwrapped.
    return exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc


def warehouse_fault(exc: BaseException) -> bool:
    """A fault of the database itself, which every next file would hit too (not this file's data)."""
    orig = _driver_error(exc)
    state = getattr(orig, "sqlstate", None) or ""
    # 53 insufficient resources (disk full), 57P server shutting down, 58 system error; no state at
    # all is the client losing the connection.
    return bool(getattr(exc, "connection_invalidated", False) or state.startswith(("53", "57P", "58"))
                or (isinstance(orig, psycopg.OperationalError) and not state))


def _fault(exc: BaseException, what: str) -> FazhiError:
    return FazhiError(f"the database failed while loading {what}: {one_line(_driver_error(exc))}; "
                      "reports loaded before it are kept, run again when it is fixed")


class Loader:
    """The one writer: collects prepared reports and writes them in batches (write.py). When
    Postgres refuses a batch, it is written again report by report, so only the bad report
    fails (recorded with its reason) and every other one loads."""

    def __init__(self, engine: Engine, reports: int = BATCH_REPORTS, chars: int = BATCH_CHARS,
                 seconds: float = BATCH_SECONDS, reparse: bool = False):
        self.engine = engine
        self.limit, self.chars_limit, self.seconds = reports, chars, seconds
        self.reparse = reparse
        self.items: list[Prepared] = []
        self.chars = 0
        self.since = 0.0
        self.juris = Jurisdictions()

    def add(self, result: Prepared | Failed) -> list[Outcome]:
        if isinstance(result, Failed):
            return [fail(self.engine, result.source, result.reason, result.content_hash)]
        if not self.items:
            self.since = time.monotonic()
        self.items.append(result)
        self.chars += len(result.text) + len(result.measure_rows)
        full = len(self.items) >= self.limit or self.chars >= self.chars_limit
        return self.flush() if full or time.monotonic() - self.since > self.seconds else []

    def flush(self) -> list[Outcome]:
        items, self.items, self.chars = self.items, [], 0
        if not items:
            return []
        try:
            statuses = self._write(items)
        except (DBAPIError, psycopg.Error) as exc:
            if warehouse_fault(exc):
                raise _fault(exc, f"{len(items)} reports ({items[0].source} …)") from None
            return [self._one(it) for it in items]
        except Exception:  # a loader bug: find the report it is about
            return [self._one(it) for it in items]
        return [_outcome(it, status) for it, status in zip(items, statuses)]

    def _write(self, items: list[Prepared]) -> list[str]:
        with self.engine.begin() as conn, conn.connection.driver_connection.cursor() as cur:
            return write_batch(cur, items, self.juris, self.reparse)

    def _one(self, it: Prepared) -> Outcome:
        try:
            return _outcome(it, self._write([it])[0])
        except (DBAPIError, psycopg.Error) as exc:
            if warehouse_fault(exc):
                raise _fault(exc, it.source) from None
            return fail(self.engine, it.source, f"database refused the report: {one_line(_driver_error(exc))}",
                        it.content_hash)
        except Exception as exc:
            return fail(self.engine, it.source, f"load error: {type(exc).__name__}: {one_line(exc)}", it.content_hash)


def _outcome(it: Prepared, status: str) -> Outcome:
    return Outcome(it.source, status, metrics=it.metrics if status in ("loaded", "reparsed") else 0,
                   warnings=it.warnings)


def fail(engine: Engine, source: str, reason: str, digest: str) -> Outcome:
    try:
        with engine.begin() as conn:
            record_failure(conn, source, digest, reason)
    except (DBAPIError, psycopg.Error) as exc:
        raise FazhiError(f"cannot record the failure of {source} in core.ingest_failure: "
                         f"{one_line(_driver_error(exc))}") from None
    return Outcome(source, "failed", reason)


def record_failure(conn: Connection, source: str, content_hash: str, reason: str) -> None:
    conn.execute(text("""
        insert into core.ingest_failure (source_path, content_hash, reason) values (:s, :h, :r)
        on conflict (source_path, content_hash) do update set reason = excluded.reason, failed_at = now()"""),
                 {"s": source, "h": content_hash, "r": reason})


def _to_parse(engine: Engine, found: Iterable[Found], roots: list[Path], emit: Callable[[Outcome], None],
              limits: Limits, reparse: bool = False) -> Iterator[tuple[Path, str]]:
    """(path, hash) of the files to parse; hidden files, what discover refused (a FIFO, a link
    out of the folders given ...), files too large to hash and files loaded before (one query per
    chunk of files, by the hash of their bytes) are settled here without being read again. With
    `reparse`, files a report was read from are parsed again (their alternates are not: they
    stay the alternates of the new parse)."""
    for chunk in _chunks(found, KNOWN_CHUNK):
        shown_ = []
        for path, refused in ((f.path, f.refused) for f in chunk):
            if hidden(path, roots):
                emit(Outcome(shown(path), "skipped", "hidden file"))
                continue
            try:
                if refused:
                    raise UnreadableFile(refused)
                shown_.append((path, content_hash(path, limits)))
            except UnreadableFile as exc:   # recorded like any file that cannot be read
                emit(fail(engine, shown(path), str(exc), NOT_READ))
        with engine.connect() as conn, conn.connection.driver_connection.cursor() as cur:
            known = known_sources(cur, [digest for _, digest in shown_])
            if reparse:
                known -= primary_sources(cur, list(known))
        for path, digest in shown_:
            if digest in known:
                emit(Outcome(shown(path), "present"))
            else:
                yield path, digest


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _parse_task(item: tuple[Path, str], limits: Limits) -> Prepared | Failed:
    return parse_one(item[0], item[1], limits)


def _died(item: tuple[Path, str]) -> Failed:
    return Failed(shown(item[0]), item[1], pipeline.DIED)


def ingest_paths(engine: Engine, paths: Iterable[str | Path], on_file: Callable[[Outcome], None] | None = None,
                 jobs: int | None = None, reparse: bool = False, follow_links: bool = False) -> Summary:
    """Parse across `jobs` processes (default: every core) and load into `engine`'s database
    through one Loader. With `reparse`, files loaded before are parsed again and their reports
    replaced; with `follow_links`, links below the folders given are followed wherever they lead
    (`discover`)."""
    limits = Limits.from_env()  # a bad setting stops the run here, not as a failure of every file
    with engine.begin() as conn:
        sync_reference(conn)
    summary = Summary()

    def emit(outcome: Outcome) -> None:
        summary.outcomes.append(outcome)
        if on_file:
            on_file(outcome)

    roots = [Path(p) for p in paths]
    loader = Loader(engine, reparse=reparse)
    todo = _to_parse(engine, discover(roots, follow_links), roots, emit, limits, reparse)
    task = partial(_parse_task, limits=limits)
    for _, result in pipeline.run(task, todo, jobs or pipeline.default_jobs(), _died):
        for outcome in loader.add(result):
            emit(outcome)
    for outcome in loader.flush():
        emit(outcome)
    return summary


def ingest_one(engine: Engine, path: Path) -> Outcome:
    """One file through the same path as a batch, in this process."""
    return ingest_paths(engine, [path], jobs=1).outcomes[0]
