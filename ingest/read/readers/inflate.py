"""What one file may unpack and render to, counted as it happens: a small file must not become
gigabytes in memory (a zip bomb: 1 MB of deflate holds 1 GB of XML) or of text (one table cell
filled down ten thousand rows).

`read_bytes` opens a `budget` per file (limits.py: FAZHI_MAX_INFLATED_MB, FAZHI_MAX_TEXT_MB); the
readers count into it while they work: `chunks` streams a zip member through the count, so the
refusal comes at the first megabyte past the limit, whatever the zip's headers claim; readers
that repeat text (merged table cells, list numbers) count what they add before building it.
A reader called on its own (tests, tools) counts against the default limits.
"""
from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from .base import UnreadableFile

# The defaults of limits.py (2x and 1x FAZHI_MAX_FILE_MB's 50), for a reader called outside read_bytes.
DEFAULT_INFLATED = 100 << 20
DEFAULT_TEXT = 50 << 20
CHUNK = 1 << 20


class TooLarge(UnreadableFile):
    """The file unpacks, or renders, to more than its limit allows."""


class Budget:
    def __init__(self, max_inflated: int = DEFAULT_INFLATED, max_text: int = DEFAULT_TEXT):
        self.max_inflated, self.max_text = max_inflated, max_text
        self.inflated = self.text = 0

    def add_inflated(self, n: int) -> None:
        self.inflated += n
        if self.inflated > self.max_inflated:
            raise TooLarge(f"too large when unpacked: more than {_mb(self.max_inflated)} MB "
                           f"(set FAZHI_MAX_INFLATED_MB)")

    def add_text(self, n: int) -> None:
        self.text += n
        if self.text > self.max_text:
            raise TooLarge(too_much_text(self.max_text))


def too_much_text(limit: int) -> str:
    return f"too much text: more than {_mb(limit)} MB of text (set FAZHI_MAX_TEXT_MB)"


_active: ContextVar[Budget | None] = ContextVar("fazhi_inflate_budget", default=None)


@contextmanager
def budget(max_inflated: int | None = None, max_text: int | None = None) -> Iterator[Budget]:
    """A new budget with these limits; without limits, the one already open (a reader inside
    another, as LibreOffice's .docx inside a .doc) or one with the defaults."""
    current = _active.get()
    if max_inflated is None and max_text is None and current is not None:
        yield current
        return
    fresh = Budget(DEFAULT_INFLATED if max_inflated is None else max_inflated,
                   DEFAULT_TEXT if max_text is None else max_text)
    token = _active.set(fresh)
    try:
        yield fresh
    finally:
        _active.reset(token)


def current() -> Budget:
    return _active.get() or Budget()


def chunks(zf: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    """A member's bytes, a megabyte at a time, counted as they are inflated. (The header's
    file_size is not trusted: what the decompressor gives is counted.)"""
    count = current()
    with zf.open(name) as fh:
        while chunk := fh.read(CHUNK):
            count.add_inflated(len(chunk))
            yield chunk


def count_zlib(data: bytes, start: int) -> None:
    """Inflate the zlib stream that starts at data[start] only to count it, a megabyte at a time
    (the output is dropped); a damaged stream is counted up to the damage."""
    count, unpack = current(), zlib.decompressobj()
    view = memoryview(data)[start:]
    pos, pending = 0, b""
    try:
        while not unpack.eof:
            if not pending:
                if pos >= len(view):
                    break
                pending, pos = view[pos:pos + CHUNK], pos + CHUNK
            count.add_inflated(len(unpack.decompress(pending, CHUNK)))
            pending = unpack.unconsumed_tail
    except zlib.error:
        pass


def joined_length(parts: list[str], sep: str) -> int:
    """len(sep.join(parts)), without building it."""
    return sum(map(len, parts)) + len(sep) * max(len(parts) - 1, 0)


def _mb(n: int) -> str:
    return f"{n / 2**20:g}"
