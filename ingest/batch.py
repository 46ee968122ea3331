"""Ingest a batch of files: each report in its own transaction; a bad file never stops the rest."""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .load import engine, load_report, record_failure, sync_reference
from .parse import parse_file
from .read import HTML_SUFFIXES, UnreadableFile

SUFFIXES = {".txt", *HTML_SUFFIXES}
SAMPLES = Path(__file__).resolve().parent / "data" / "samples"


@dataclass
class Outcome:
    source: str
    status: str            # loaded / present / failed
    reason: str | None = None
    metrics: int = 0


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


def discover(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files as given, and report files found below folders, in a stable order."""
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
        else:
            yield p


def _hash(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def ingest_one(path: Path) -> Outcome:
    try:
        parsed = parse_file(path)
    except UnreadableFile as exc:
        return _fail(path, str(exc))
    except Exception as exc:  # a parser bug on one file must not stop the batch
        return _fail(path, f"parser error: {type(exc).__name__}: {exc}")
    with engine().begin() as conn:
        status = load_report(conn, parsed)
    return Outcome(str(path), status, metrics=len(parsed.metrics) if status == "loaded" else 0)


def _fail(path: Path, reason: str) -> Outcome:
    with engine().begin() as conn:
        record_failure(conn, str(path), _hash(path), reason)
    return Outcome(str(path), "failed", reason)


def ingest_paths(paths: Iterable[str | Path], on_file: Callable[[Outcome], None] | None = None) -> Summary:
    with engine().begin() as conn:
        sync_reference(conn)
    summary = Summary()
    for path in discover(paths):
        outcome = ingest_one(path)
        summary.outcomes.append(outcome)
        if on_file:
            on_file(outcome)
    return summary
