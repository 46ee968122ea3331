"""Peak resident memory of process trees, sampled from /proc by a background thread.

    with PeakMemory() as mem:
        mem.track("fazhi", proc.pid)          # the process and everything below it
        mem.track("postgres", postmaster_pid)
        ...
    mem.peaks_mb()   # {"fazhi": {"rss": 812.0, "pss": 530.5}, "postgres": {...}}

RSS summed over a tree counts shared pages (the loader's pages shared with forked workers,
Postgres' shared buffers) once per process, so it is an upper bound; PSS (from smaps_rollup,
readable for our own processes, or any as root) splits shared pages between their users and
sums to what the tree really holds. Both are reported; PSS is None where it cannot be read.
psutil is used for nothing: /proc is all this needs on Linux.

The sampler must not slow what it measures: reading smaps_rollup makes the kernel walk a
process's page tables (about 3 ms for a 600 MB worker), so every 0.1 s it took about a tenth of
a core. RSS (statm, cheap) is read every `interval`, the process trees every `tree_every` and PSS
every `pss_every` seconds: well under 1% of a core. Memory of a streaming pipeline is flat, so
the slower PSS samples still see its peak.
"""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


def _parents() -> dict[int, int]:
    """pid -> parent pid of every process now (one pass over /proc/*/stat)."""
    out = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue   # it ended while we looked
        # the command name is in parentheses and may hold spaces: fields start after the last ')'
        fields = stat[stat.rindex(")") + 2:].split()
        out[int(entry.name)] = int(fields[1])
    return out


def tree(root: int, parents: dict[int, int]) -> list[int]:
    children: dict[int, list[int]] = {}
    for pid, ppid in parents.items():
        children.setdefault(ppid, []).append(pid)
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in parents:
            out.append(pid)
            todo.extend(children.get(pid, []))
    return out


def rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def pss(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except PermissionError:
        return None        # another user's process, and we are not root
    except (OSError, ValueError):
        return 0           # it ended while we looked
    return None


class PeakMemory:
    """Samples every tracked tree every `interval` seconds and keeps each tree's peak."""

    def __init__(self, interval: float = 0.1, tree_every: float = 1.0, pss_every: float = 2.0):
        self.interval, self.tree_every, self.pss_every = interval, tree_every, pss_every
        self._pids: dict[str, list[int]] = {}
        self._tree_at = self._pss_at = float("-inf")
        self.roots: dict[str, int] = {}
        self.peak: dict[str, dict[str, int | None]] = {}
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, daemon=True, name="procmem")

    def track(self, name: str, pid: int | None) -> None:
        if pid:
            with self._lock:
                self.roots[name] = pid
                self.peak.setdefault(name, {"rss": 0, "pss": 0})

    def sample(self, everything: bool = False) -> None:
        with self._lock:
            roots = dict(self.roots)
        if not roots:
            return
        now = time.monotonic()
        if everything or now - self._tree_at >= self.tree_every or roots.keys() != self._pids.keys():
            parents = _parents()
            self._pids = {name: tree(root, parents) for name, root in roots.items()}
            self._tree_at = now
        with_pss = everything or now - self._pss_at >= self.pss_every
        if with_pss:
            self._pss_at = now
        for name, pids in self._pids.items():
            peak = self.peak[name]
            peak["rss"] = max(peak["rss"] or 0, sum(rss(p) for p in pids))
            if not with_pss or peak["pss"] is None:
                continue
            pss_values = [pss(p) for p in pids]
            peak["pss"] = None if any(v is None for v in pss_values) else max(peak["pss"], sum(pss_values))

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.sample(everything=True)

    def peaks_mb(self) -> dict[str, dict[str, float | None]]:
        return {name: {k: (None if v is None else round(v / 2**20, 1)) for k, v in p.items()}
                for name, p in self.peak.items()}


def postmaster_pid(pgdata: Path) -> int | None:
    """The embedded server's main pid, from the first line of postmaster.pid."""
    try:
        return int((pgdata / "postmaster.pid").read_text().split()[0])
    except (OSError, IndexError, ValueError):
        return None
