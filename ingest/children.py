"""The programs fazhi starts die with it, and what a killed run left is cleared by the next.

A process killed with -9 runs no cleanup: without this, LibreOffice (soffice.bin, up to a few
GB), a build's dbt (writing the marts while the next build starts) and `fazhi serve`'s Postgres
(its TCP listener) would live on, and a conversion's temporary folder stay behind.

- `die_with_parent(sig)`: a `preexec_fn` that has Linux send the child `sig` when its parent
  dies (PR_SET_PDEATHSIG). Linux counts the *thread* that started the child as its parent: start
  such a child from a thread that waits for it (every caller here does). Elsewhere it does nothing
  and the sweep below is the remedy.
- `grouped(cmd)`: for a program that starts programs of its own (LibreOffice's launcher starts
  soffice.bin, which the parent-death signal would not reach): run under a shell that, on that
  signal, kills its whole process group. Start it with `start_new_session=True`.
- `scratch(prefix)`: a temporary folder under `<tmp>/fazhi-<uid>/`, named after the process that
  made it (pid and start time). `sweep()`, run when fazhi starts and before each new folder,
  removes the folders of processes that are gone, first killing what still runs on them (any
  process with such a folder on its command line).
"""
from __future__ import annotations

import os
import shutil
import signal
import stat
import sys
import tempfile
from collections.abc import Callable
from functools import lru_cache, partial
from pathlib import Path

_PR_SET_PDEATHSIG = 1
_GROUP_SHELL = 'trap "kill -KILL 0" TERM; "$@" & wait $!'


@lru_cache(maxsize=1)
def _prctl():
    """libc's prctl, looked up before any fork (a forked child should only call it)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # pragma: no cover - a libc without prctl
        return None


def die_with(parent: int, sig: int = signal.SIGKILL) -> None:
    """In a child: receive `sig` when the parent dies; exit now if it already has (the parent
    could die between the fork and the prctl, and the signal would never come)."""
    prctl = _prctl()
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, int(sig))
    if os.getppid() != parent:
        os._exit(1)


def die_with_parent(sig: int = signal.SIGKILL) -> Callable[[], None] | None:
    """A preexec_fn for subprocess: the child gets `sig` when this process (the calling thread) dies."""
    if _prctl() is None:
        return None
    return partial(die_with, os.getpid(), int(sig))


def grouped(cmd: list[str]) -> list[str]:
    """`cmd` under a shell that kills its process group on SIGTERM: give the shell
    die_with_parent(SIGTERM) and a session of its own. As is where there is no parent-death signal."""
    if _prctl() is None:
        return cmd
    return ["/bin/sh", "-c", _GROUP_SHELL, "sh", *cmd]


def scratch(prefix: str) -> tempfile.TemporaryDirectory:
    """A private temporary folder (a context manager giving its path), removed when done, and by
    the next sweep if this process is killed first. `prefix`: letters, no dash."""
    parent = _parent(create=True)
    if parent is None:  # someone else's or an open <tmp>/fazhi-<uid>: private, but not swept
        return tempfile.TemporaryDirectory(prefix=f"fazhi-{prefix}-")
    sweep(parent)
    return tempfile.TemporaryDirectory(prefix=f"{prefix}-{os.getpid()}-{_started(os.getpid())}-", dir=parent)


def scratch_parent() -> Path:
    """Where scratch folders go: <tmp>/fazhi-<uid>."""
    return Path(tempfile.gettempdir()) / f"fazhi-{os.getuid()}"


def sweep(parent: Path | None = None) -> list[Path]:
    """Remove the scratch folders whose process is gone, killing first what runs on them (an
    orphaned soffice.bin). Returns the folders removed; never raises."""
    parent = parent or _parent(create=False)
    try:
        names = os.listdir(parent) if parent else []
    except OSError:
        return []
    dead = [parent / name for name in names if not _owner_alive(name)]
    if dead:
        _kill_users(dead)
        for folder in dead:
            shutil.rmtree(folder, ignore_errors=True)
    return dead


def _parent(create: bool) -> Path | None:
    """<tmp>/fazhi-<uid> if it is a folder of ours no one else can open (never a symlink), else None."""
    path = scratch_parent()
    try:
        if create:
            path.mkdir(mode=0o700, exist_ok=True)
        info = path.lstat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o077:
        return None
    return path


def _started(pid: int) -> int | None:
    """When process `pid` started (hundredths of a second), None if there is none: with the pid it
    names one process, whatever pid is reused later."""
    import psutil

    try:
        return round(psutil.Process(pid).create_time() * 100)
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return None


def _owner_alive(name: str) -> bool:
    parts = name.split("-")
    if len(parts) < 4 or not parts[1].isdigit() or not parts[2].isdigit():
        return True  # not a folder scratch() made: left alone
    return _started(int(parts[1])) == int(parts[2])


def _kill_users(folders: list[Path]) -> None:
    import psutil

    marks = [str(f) + os.sep for f in folders] + [f.as_uri() + "/" for f in folders]
    users = []
    for proc in psutil.process_iter(["cmdline"]):
        args = proc.info["cmdline"] or []
        if any(mark in arg for arg in args for mark in marks):
            users.append(proc)
    for proc in users:
        try:
            proc.kill()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    psutil.wait_procs(users, timeout=5)
