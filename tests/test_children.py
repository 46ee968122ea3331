"""ingest.children: scratch folders named after their process, swept (with what still runs on them)
once that process is gone, and never made in a parent folder someone else could have prepared."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest

from ingest import children


@pytest.fixture
def tmpdir(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def test_sweep_removes_only_folders_of_processes_gone_and_kills_what_runs_on_them(tmpdir):
    with children.scratch("lo") as mine:
        parent = Path(mine).parent
        assert parent == tmpdir / f"fazhi-{os.getuid()}" and parent.stat().st_mode & 0o777 == 0o700
        gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dead = parent / f"lo-{gone}-12345-abcdefgh"
        reused = parent / f"lo-{os.getpid()}-1-abcdefgh"   # our pid, another start time: another process
        other = parent / "notes"
        for folder in (dead, reused, other):
            folder.mkdir()
        stray = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", f"{dead}/input.doc"])
        watched = psutil.Process(stray.pid)
        deadline = time.monotonic() + 10   # under load the child may not show its new command line yet
        while str(dead) not in " ".join(watched.cmdline()) and time.monotonic() < deadline:
            time.sleep(0.05)
        try:
            assert sorted(children.sweep()) == sorted([dead, reused])
            assert not watched.is_running()   # killed (and reaped) by the sweep
        finally:
            stray.kill()
        assert sorted(parent.iterdir()) == sorted([Path(mine), other])
    assert not Path(mine).exists()


@pytest.mark.parametrize("prepared", ["open", "symlink"])
def test_a_parent_folder_not_private_to_us_is_not_used(tmpdir, prepared):
    parent = tmpdir / f"fazhi-{os.getuid()}"
    elsewhere = tmpdir / "elsewhere"
    elsewhere.mkdir()
    if prepared == "open":
        parent.mkdir()
        parent.chmod(0o777)
    else:
        parent.symlink_to(elsewhere)
    with children.scratch("lo") as tmp:
        assert Path(tmp).parent == tmpdir and Path(tmp).name.startswith("fazhi-lo-")
        assert Path(tmp).stat().st_mode & 0o777 == 0o700
    assert list(elsewhere.iterdir()) == [] and children.sweep() == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_a_grouped_program_and_its_own_children_die_with_their_parent(tmpdir):
    # parent -> sh (the group's) -> the program -> its child: the grandchild dies with the parent too.
    code = ("import signal, subprocess, sys, time; from ingest import children; "
            "subprocess.Popen(children.grouped(['sh', '-c', 'sleep 60 & wait']), start_new_session=True, "
            "preexec_fn=children.die_with_parent(signal.SIGTERM)); time.sleep(60)")
    parent = subprocess.Popen([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(Path.cwd())})
    deadline = time.monotonic() + 20
    while not (sleeps := [p for p in psutil.Process(parent.pid).children(recursive=True) if p.name() == "sleep"]):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    group = psutil.Process(parent.pid).children(recursive=True)
    parent.kill()
    parent.wait()
    assert psutil.wait_procs(group, timeout=5)[1] == [] and sleeps
