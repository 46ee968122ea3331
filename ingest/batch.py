"""Ingest a batch of files: each report in its own transaction; a bad file never stops the rest.

Whatever goes wrong with one file (unreadable, a parser bug, a value or constraint the database
refuses) rolls back that file's transaction, is recorded in core.ingest_failure with a one-line
reason, and the batch goes on. Only a fault of the warehouse itself (disk full, server gone)
stops the batch, with a FazhiError: every report committed before it stays loaded.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from sqlalchemy.exc import DBAPIError

from .errors import FazhiError
from .limits import Limits
from .load import engine, known_source, load_report, record_failure, sync_reference
from .parse import parse_file
from .read import UnreadableFile

SAMPLES = Path(__file__).resolve().parent / "data" / "samples"


@dataclass
class Outcome:
    source: str
    status: str            # loaded / alternate (another file of a loaded report) / present / skipped / failed
    reason: str | None = None
    metrics: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


def discover(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files as given, and every file below folders, in a stable order: each one is read by its
    format's reader or refused with a reason, never passed over (hidden files are listed as
    skipped)."""
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.is_file())
        else:
            yield p


def hidden(path: Path, roots: Iterable[Path] = ()) -> bool:
    """A dotfile or a file in a dot-folder (.DS_Store, .git/...) below a folder given."""
    parts = path.parts
    for root in roots:
        if root.is_dir() and path.is_relative_to(root):
            parts = path.relative_to(root).parts
            break
    else:
        return False
    return any(part.startswith(".") for part in parts)


def _hash(path: Path) -> str:
    try:
        with path.open("rb") as f:  # streamed: a file refused as too large is not read into memory
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return "unreadable"


def one_line(exc: BaseException, limit: int = 300) -> str:
    first = next((line.strip() for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
    return first if len(first) <= limit else first[:limit - 1] + "…"


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


def ingest_one(path: Path, limits: Limits | None = None) -> Outcome:
    digest = _hash(path)
    with engine().connect() as conn:   # a file loaded before is not read again
        if known_source(conn, digest) is not None:
            return Outcome(str(path), "present")
    try:
        parsed = parse_file(path, limits=limits)
    except UnreadableFile as exc:
        return _fail(path, str(exc), digest)
    except MemoryError:
        return _fail(path, "out of memory while parsing (lower FAZHI_MAX_FILE_MB or split the file)", digest)
    except Exception as exc:  # a parser bug on one file must not stop the batch
        return _fail(path, f"parser error: {type(exc).__name__}: {one_line(exc)}", digest)
    try:
        with engine().begin() as conn:
            status = load_report(conn, parsed)
    except (DBAPIError, psycopg.Error) as exc:
        if warehouse_fault(exc):
            raise FazhiError(f"the database failed while loading {path}: {one_line(_driver_error(exc))}; "
                             "reports loaded before it are kept, run again when it is fixed") from None
        return _fail(path, f"database refused the report: {one_line(_driver_error(exc))}", digest)
    except Exception as exc:  # a loader bug on one file must not stop the batch either
        return _fail(path, f"load error: {type(exc).__name__}: {one_line(exc)}", digest)
    return Outcome(str(path), status, metrics=len(parsed.metrics) if status == "loaded" else 0,
                   warnings=list(parsed.warnings))


def _fail(path: Path, reason: str, digest: str | None = None) -> Outcome:
    try:
        with engine().begin() as conn:
            record_failure(conn, str(path), digest or _hash(path), reason)
    except (DBAPIError, psycopg.Error) as exc:
        raise FazhiError(f"cannot record the failure of {path} in core.ingest_failure: "
                         f"{one_line(_driver_error(exc))}") from None
    return Outcome(str(path), "failed", reason)


def ingest_paths(paths: Iterable[str | Path], on_file: Callable[[Outcome], None] | None = None) -> Summary:
    limits = Limits.from_env()  # a bad setting stops the run here, not as a failure of every file
    with engine().begin() as conn:
        sync_reference(conn)
    summary = Summary()
    roots = [Path(p) for p in paths]
    for path in discover(roots):
        outcome = Outcome(str(path), "skipped", "hidden file") if hidden(path, roots) else ingest_one(path, limits)
        summary.outcomes.append(outcome)
        if on_file:
            on_file(outcome)
    return summary
