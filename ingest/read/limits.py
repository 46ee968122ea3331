"""Input limits, read from the environment in this one place.

  FAZHI_MAX_FILE_MB    largest file fazhi reads, in MB (default 50): a larger file is refused
                       before it is read into memory
  FAZHI_FILE_SECONDS   time budget for parsing one file, in seconds (default 300): a file that
                       takes longer is refused, so one pathological file cannot stall a batch

  FAZHI_MAX_INFLATED_MB  most one file may unpack to, in MB (default twice FAZHI_MAX_FILE_MB): a
                       Word document's XML parts, a PDF's compressed page content; counted while
                       inflating (`readers/inflate.py`), so a zip bomb is refused at the limit
  FAZHI_MAX_TEXT_MB    most text one file may yield, in MB of characters (1 MB = 1,048,576
                       characters; default FAZHI_MAX_FILE_MB, what a plain text file at the size
                       limit can hold): counted while merged table cells and list numbers repeat,
                       and checked on every reader's result (`check_text`)

Every refusal is an `UnreadableFile` with a one-line reason naming the variable to change.
"""
from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from ingest.errors import EXIT_USAGE, FazhiError

from .readers import inflate
from .readers.base import UnreadableFile

DEFAULT_MAX_FILE_MB = 50.0
DEFAULT_FILE_SECONDS = 300.0  # a file at the size limit parses in about 110 s on one slow core


class FileTimeout(UnreadableFile):
    """Parsing one file took longer than its time budget."""


@dataclass(frozen=True)
class Limits:
    max_file_mb: float = DEFAULT_MAX_FILE_MB
    file_seconds: float = DEFAULT_FILE_SECONDS
    max_inflated_mb: float | None = None    # None: INFLATED_PER_MB x max_file_mb
    max_text_mb: float | None = None        # None: max_file_mb

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_mb * 2**20)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Limits:
        env = os.environ if env is None else env
        return cls(_positive(env, "FAZHI_MAX_FILE_MB", DEFAULT_MAX_FILE_MB),
                   _positive(env, "FAZHI_FILE_SECONDS", DEFAULT_FILE_SECONDS), *_unpacked(env))


def _positive(env, name: str, default: float, most: float = 1e6) -> float:
    """A finite number above 0 and at most `most` (a million MB or seconds is already absurd;
    nan, inf or 1e308 would disable the limit or overflow the timer)."""
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise FazhiError(f"{name} must be a number, not {raw!r}", EXIT_USAGE) from None
    if not 0 < value <= most:  # also false for nan
        raise FazhiError(f"{name} must be a number greater than 0 and at most {most:.15g}, not {raw}", EXIT_USAGE)
    return value


def check_size(size: int, limits: Limits) -> None:
    if size > limits.max_bytes:
        mb = size / 2**20
        raise UnreadableFile(f"too large: {mb:.1f} MB (limit {_num(limits.max_file_mb)} MB, "
                             f"set FAZHI_MAX_FILE_MB)" if mb >= 0.1 else
                             f"too large: {size} bytes (limit {_num(limits.max_file_mb)} MB, set FAZHI_MAX_FILE_MB)")


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise FileTimeout in the block when it runs longer than `seconds`. Uses SIGALRM, so it
    works only in the main thread of a Unix process; elsewhere it is a no-op. The previous
    handler and any alarm already set are restored afterwards."""
    if (seconds <= 0 or not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()):
        yield
        return

    message = f"took longer than {_num(seconds)} s to parse (limit FAZHI_FILE_SECONDS)"
    fired = []

    def expired(signum, frame):
        fired.append(True)
        raise FileTimeout(message)

    previous = signal.signal(signal.SIGALRM, expired)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        left, _ = signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:  # an enclosing alarm keeps running, less the time spent here
            signal.setitimer(signal.ITIMER_REAL, max(outer - (seconds - left), 0.001))
    # The alarm's exception can be swallowed where it lands (a gc callback, a library's catch-all
    # "except Exception"), and the block runs to its end: the budget was still exceeded.
    if fired:
        raise FileTimeout(message)


def _num(x: float) -> str:
    return f"{x:g}"


# ---- what a file unpacks and renders to (readers/inflate.py counts it) ----------------------------

INFLATED_PER_MB = 2   # real reports' XML unpacks to a few MB; a 100 MB bomb is refused at a 0.8 GB peak


def _unpacked(env) -> tuple[float | None, float | None]:
    return (_positive(env, "FAZHI_MAX_INFLATED_MB", None), _positive(env, "FAZHI_MAX_TEXT_MB", None))


def max_inflated_bytes(limits: Limits) -> int:
    return int((limits.max_inflated_mb or INFLATED_PER_MB * limits.max_file_mb) * 2**20)


def max_text_chars(limits: Limits) -> int:
    return int((limits.max_text_mb or limits.max_file_mb) * 2**20)


def unpack_budget(limits: Limits):
    """The file's budget for what its reader unpacks and renders."""
    return inflate.budget(max_inflated_bytes(limits), max_text_chars(limits))


def check_text(text: str, limits: Limits) -> None:
    """Whatever the reader, no file yields more text than the limit."""
    if len(text) > max_text_chars(limits):
        raise inflate.TooLarge(inflate.too_much_text(max_text_chars(limits)))
