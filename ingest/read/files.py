"""Which files a run reads: the files given and every file below the folders given, each known by
the hash of its bytes (how a file is recognised as loaded before, whatever its name).

Only regular files are read. A FIFO, a device or a socket is listed with its reason and never
opened (opening a FIFO waits for a writer, reading /dev/zero never ends); a file's size is checked
before a byte of it is read or hashed. Below a folder, a symbolic link is followed only when its
target lies inside one of the folders given (`follow_links` follows any): a link planted in an
input folder must not make fazhi read what the link's owner cannot. Broken links, link loops and
folders that cannot be listed are listed with their reason too, never passed over.

A name is handled as the bytes it is; `shown` is how fazhi prints and stores it.
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .limits import Limits, check_size
from .origin import is_sidecar
from .readers.base import UnreadableFile

# The five bundled reports: what `fazhi build` loads when given no files.
SAMPLES = Path(__file__).resolve().parent.parent / "samples"

# The content_hash a failure is recorded under when the file's bytes were never read.
NOT_READ = "unreadable"

OUTSIDE = "link to outside the folders given: not followed (--follow-links reads it)"
FOLDER_LOOP = "folder loop: a link to a folder that contains it, not read again"
_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
# O_NONBLOCK: should a FIFO take the place of a checked file, opening it does not wait for a writer.
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_OPEN = os.O_RDONLY | _NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


@dataclass(frozen=True)
class Found:
    """A file of the run, or something listed with the reason it is not read (`refused`)."""
    path: Path
    refused: str | None = None


def discover(paths: Iterable[str | Path], follow_links: bool = False) -> Iterator[Found]:
    """Files as given, and every file below folders, in a stable order (by name, depth first).
    A path named on the command line is the user's choice and is followed wherever it leads."""
    paths = [Path(p) for p in paths]
    roots = [Path(os.path.realpath(p)) for p in paths if p.is_dir()]
    for p in paths:
        try:
            st = os.stat(p)
        except OSError as exc:
            yield Found(p, _why(exc, p))
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(p, st, roots, follow_links)
        else:
            yield Found(p, _kind(st))


def _walk(root: Path, st: os.stat_result, roots: list[Path], follow: bool) -> Iterator[Found]:
    # Iterative: a folder nested thousands deep must not exhaust Python's recursion limit.
    stack = [((st.st_dev, st.st_ino), _listing(root))]
    while stack:
        entry = next(stack[-1][1], None)
        if entry is None:
            stack.pop()
        elif isinstance(entry, Found):
            yield entry
        elif is_sidecar(entry.path):
            continue   # a saved file's provenance, read with the file (origin.py)
        else:
            path = Path(entry.path)
            try:
                link = entry.is_symlink()
                st = os.stat(path)   # the link's target
            except OSError as exc:
                yield Found(path, _why(exc, path))
                continue
            if link and not follow and not _inside(path, roots):
                yield Found(path, OUTSIDE)
            elif stat.S_ISDIR(st.st_mode):
                key = (st.st_dev, st.st_ino)
                if any(key == k for k, _ in stack):
                    yield Found(path, FOLDER_LOOP)
                else:
                    stack.append((key, _listing(path)))
            else:
                yield Found(path, _kind(st))


def _listing(folder: Path) -> Iterator:
    try:
        with os.scandir(folder) as it:
            return iter(sorted(it, key=lambda e: e.name))
    except OSError as exc:
        return iter([Found(folder, f"cannot read folder: {_strerror(exc)}")])


def _inside(link: Path, roots: list[Path]) -> bool:
    target = Path(os.path.realpath(link))
    return any(target.is_relative_to(root) for root in roots)


def _kind(st: os.stat_result) -> str | None:
    """Why a file of this mode is not read, or None for a regular file."""
    if stat.S_ISREG(st.st_mode):
        return None
    if stat.S_ISDIR(st.st_mode):
        return "is a directory"
    kind = next((name for test, name in _KINDS if test(st.st_mode)), "a special file")
    return f"not a regular file: {kind}"


def _why(exc: OSError, path: Path) -> str:
    if exc.errno == errno.ENOENT:
        return "broken link: its target does not exist" if os.path.lexists(path) else "file not found"
    if exc.errno == errno.ELOOP:
        return "link loop: the link leads back to itself"
    return f"cannot read file: {_strerror(exc)}"


def _strerror(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


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


def open_regular(path: str | Path, limits: Limits | None = None) -> BinaryIO:
    """A regular file opened for reading, its size checked against `limits` first: what is not a
    regular file, or is too large, is refused (UnreadableFile) before it is opened."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise UnreadableFile(_why(exc, Path(path))) from None
    _check(st, limits)
    try:
        fd = os.open(path, _OPEN)
    except OSError as exc:
        raise UnreadableFile(_why(exc, Path(path))) from None
    try:
        _check(os.fstat(fd), limits)   # what was opened, should the name have changed since
        if _NONBLOCK:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _check(st: os.stat_result, limits: Limits | None) -> None:
    if reason := _kind(st):
        raise UnreadableFile(reason)
    if limits:
        check_size(st.st_size, limits)


def content_hash(path: str | Path, limits: Limits | None = None) -> str:
    """sha256 of a regular file's bytes, streamed (a file larger than the limit is refused before
    it is read, and one growing past it while read stops there); UnreadableFile says why not."""
    digest = hashlib.sha256()
    with open_regular(path, limits) as f:
        size = 0
        try:
            while chunk := f.read(1 << 20):
                size += len(chunk)
                if limits:
                    check_size(size, limits)
                digest.update(chunk)
        except OSError as exc:
            raise UnreadableFile(f"cannot read file: {_strerror(exc)}") from None
    return digest.hexdigest()


def file_hash(path: Path) -> str:
    """content_hash, or NOT_READ for a file that cannot be read: how a file is known to have been loaded."""
    try:
        return content_hash(path)
    except UnreadableFile:
        return NOT_READ


# ---- names -------------------------------------------------------------------------------

_UNSAFE = re.compile(r"[\\\x00-\x1f\x7f\x80-\x9f\u2028\u2029]")
_ESCAPE = re.compile(r"\\(\\|x[0-9a-f]{2}|u[0-9a-f]{4})")


def shown(path: str | Path) -> str:
    """A file name as fazhi prints and stores it (source_path): the name as it is, except that a
    byte that is not UTF-8 is written \\xNN (Python's backslashreplace), a control character
    \\xNN or \\uNNNN (a name is always one line) and a backslash \\\\. Lossless: `unshown` gives
    back the name's bytes, so a file is the same file on the next run."""
    if os.name != "posix":   # Windows names are Unicode already, and \\ is their separator
        return str(path)
    name = os.fsdecode(path)
    name = _UNSAFE.sub(lambda m: "\\\\" if m[0] == "\\" else
                       f"\\x{ord(m[0]):02x}" if m[0] < "\x80" else f"\\u{ord(m[0]):04x}", name)
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def unshown(name: str) -> bytes:
    """The bytes of a name `shown` wrote."""
    def back(m: re.Match) -> str:
        code = m[1]
        if code == "\\":
            return "\\"
        return chr(int(code[1:], 16)) if code[0] == "u" or int(code[1:], 16) < 0x80 else \
            os.fsdecode(bytes([int(code[1:], 16)]))
    return os.fsencode(_ESCAPE.sub(back, name))
