"""Which files a run reads: the files given and every file below the folders given, each known by
the hash of its bytes (how a file is recognised as loaded before, whatever its name)."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

# The five bundled reports: what `fazhi build` loads when given no files.
SAMPLES = Path(__file__).resolve().parent.parent / "samples"


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


def file_hash(path: Path) -> str:
    """sha256 of a file's bytes, streamed: how a file is known to have been loaded."""
    try:
        with path.open("rb") as f:  # streamed: a file refused as too large is not read into memory
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return "unreadable"
