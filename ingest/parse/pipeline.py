"""Parse in parallel: a pool of worker processes, results streamed back in input order.

Memory stays bounded whatever the corpus size: at most `window` chunks of files are in flight, and each
result is handed on (printed, loaded) before the next is taken. Workers are forked from a parent
that has already loaded the dictionaries, the catalogue and the area-code spine, so they start
at once and share that memory. A worker that dies (a crash in a native reader, the kernel's
out-of-memory killer) costs only its own file: the files in flight are run again, and the one
that kills a worker on its own is reported with a reason.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import stat
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import TypeVar

from ingest.children import die_with
from ingest.read import SAMPLES

from .report import parse_bytes

T = TypeVar("T")
R = TypeVar("R")
CHUNK = 4              # files per task: less queueing per file
# Chunks in flight per worker: enough that the workers keep parsing while the loader waits for
# Postgres to take a batch (about a second), few enough that memory stays small.
WINDOW_PER_JOB = 24
DIED = ("the parser process died on this file (a crash in a native reader, or killed for memory: "
        "lower FAZHI_MAX_FILE_MB)")


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def warm() -> None:
    """Load what every parse needs (tokeniser, catalogue, area codes) before workers fork."""
    for sample in sorted(SAMPLES.glob("*.txt"))[:1]:
        try:   # best effort: the run's own limits apply to the user's files, not to this
            parse_bytes(sample.read_bytes(), sample.name)
        except Exception:
            pass


def run(fn: Callable[[T], R], items: Iterable[T], jobs: int, died: Callable[[T], R]) -> Iterator[tuple[T, R]]:
    """(item, fn(item)) in input order, over `jobs` processes (in this one when jobs is 1).
    `fn` must return, not raise, for a bad item; `died(item)` stands for the result of an item
    that kills its worker."""
    if jobs <= 1:
        for item in items:
            yield item, fn(item)
        return
    warm()
    chunks = _chunks(items, CHUNK)
    pending: deque[tuple[list[T], Future]] = deque()
    window = jobs * WINDOW_PER_JOB
    pool = _pool(jobs)
    try:
        _fill(pool, fn, chunks, pending, window)
        while pending:
            chunk, future = pending.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                pool.shutdown(wait=True, cancel_futures=True)
                results = [_alone(fn, item, died) for item in chunk]
                pool = _pool(jobs)
                retry = [c for c, _ in pending]
                pending.clear()
                _fill(pool, fn, iter(retry), pending, len(retry))
            yield from zip(chunk, results)
            _fill(pool, fn, chunks, pending, window)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _each(fn: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [fn(item) for item in chunk]


def _pool(jobs: int) -> ProcessPoolExecutor:
    # fork: the workers inherit the loaded dictionaries, and exit without running its cleanup.
    return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                               initializer=_worker_start, initargs=(os.getpid(),))


def _worker_start(parent: int) -> None:
    """A worker dies with its parent, and lets go of the parent's sockets. A fork inherits the
    database connections, the warehouse lock's among them: a worker outliving a parent killed
    with -9 would keep that connection open, and the lock held, for ever."""
    die_with(parent, signal.SIGKILL)
    for fd in _inherited_sockets():
        try:
            os.close(fd)   # the worker's copy only: the parent's connection is untouched
        except OSError:
            pass


def _inherited_sockets() -> list[int]:
    try:
        fds = [int(fd) for fd in os.listdir("/proc/self/fd")]
    except OSError:  # pragma: no cover - no /proc
        return []
    out = []
    for fd in fds:
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                out.append(fd)
        except OSError:
            continue
    return out


def _fill(pool, fn, source: Iterator, pending: deque, window: int) -> None:
    while len(pending) < window:
        item = next(source, _END)
        if item is _END:
            return
        pending.append((item, pool.submit(_each, fn, item)))


def _alone(fn, item, died):
    """Run one item in a pool of its own: its result, or `died(item)` if it kills that worker too."""
    solo = _pool(1)
    try:
        return solo.submit(fn, item).result()   # a single item, not a chunk
    except BrokenProcessPool:
        return died(item)
    finally:
        solo.shutdown(wait=True, cancel_futures=True)


_END = object()
