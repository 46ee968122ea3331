"""Nothing fazhi starts outlives a kill -9 of fazhi: LibreOffice converting a file (a stand-in on the
PATH everywhere, the real one where it is installed), a build's dbt, `fazhi serve`'s Postgres and
its TCP listener. Each case: the real CLI in a child process, the program it starts found in its
process tree, fazhi killed with -9, then no process of that tree left (by pid, and no process with
the run's folder on its command line), what was left on disk cleared by the next run, which works."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import psycopg
import pytest

from conftest import ROOT, SEEDS
from fazhi.warehouse import serverfs
from fazhi.warehouse.dbt import DBT_DIR
from fazhi.warehouse.server import postmaster, stop_server
from runs import LIMIT, fazhi, no_traceback

pytestmark = pytest.mark.db

GONE_WITHIN = 5      # seconds the whole tree may take to die once fazhi is killed
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

# A stand-in for LibreOffice's launcher: like oosplash, it starts the converter (the process that
# holds the memory, soffice.bin) as its own child and waits for it.
FAKE_SOFFICE = f"""#!/bin/sh
{sys.executable} -c 'import time; time.sleep(600)' soffice.bin "$@" &
wait
"""


def start(*args: str, env: dict, out: Path) -> subprocess.Popen:
    with open(out, "wb") as log:
        return subprocess.Popen([sys.executable, "-m", "fazhi", *args], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                env={**os.environ, **env})


def wait_for(find, run: subprocess.Popen, out: Path, what: str, timeout: float = LIMIT):
    """find()'s first true value, polled while `run` lives; fails (killing it) on time-out or exit."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = find()
        if found:
            return found
        if run.poll() is not None:
            raise AssertionError(f"fazhi exited {run.returncode} before {what}: {out.read_text()[-2000:]}")
        time.sleep(0.05)
    run.kill()
    raise AssertionError(f"no {what} within {timeout} s: {out.read_text()[-2000:]}")


def tree(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def descendant(pid: int, *marks: str) -> psutil.Process | None:
    """The first process below `pid` whose command line holds every mark."""
    for proc in tree(pid):
        try:
            line = " ".join(proc.cmdline())
        except psutil.Error:
            continue
        if all(mark in line for mark in marks):
            return proc
    return None


def running_with(mark: str, cwd: Path | None = None) -> list[int]:
    """Every process (a /proc scan) with `mark` in its command line or working in `cwd`, zombies aside."""
    found = []
    for proc in psutil.process_iter(["cmdline", "cwd", "status"]):
        if proc.info["status"] == psutil.STATUS_ZOMBIE:
            continue
        if mark in " ".join(proc.info["cmdline"] or []) or (cwd and proc.info["cwd"] == str(cwd)):
            found.append(proc.pid)
    return found


def _running(proc: psutil.Process) -> bool:
    try:
        return proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _line(proc: psutil.Process) -> str:
    try:
        return " ".join(a for a in proc.cmdline() if a)
    except psutil.Error:
        return "(gone)"


def kill_9_and_check(run: subprocess.Popen, children: list[psutil.Process], mark: str, cwd: Path | None = None) -> None:
    """kill -9 fazhi; within GONE_WITHIN seconds none of `children` runs, nor anything with `mark`
    on its command line (or working in `cwd`)."""
    assert children
    run.kill()
    run.wait()
    alive = psutil.wait_procs(children, timeout=GONE_WITHIN)[1]
    try:
        left = [(p.pid, _line(p)) for p in alive if _running(p)]
        assert left == [], f"left running after kill -9: {left}"
        assert running_with(mark, cwd) == []
    finally:
        for proc in alive:   # never leave them to the rest of the suite
            try:
                proc.kill()
            except psutil.Error:
                pass


# --- LibreOffice -------------------------------------------------------------------------------

def rtf(text: str) -> bytes:
    """`text` as an RTF document (every character a \\u escape, a paragraph a line)."""
    def esc(c: str) -> str:
        n = ord(c)
        return f"\\u{n - 65536 if n > 32767 else n} " if n > 127 or c in "\\{}" else c
    return ("{\\rtf1\\ansi\\uc0 " + "\\par\n".join("".join(map(esc, line)) for line in text.splitlines())
            + "}").encode("ascii")


def scratch_folders(tmpdir: Path) -> list[Path]:
    parent = tmpdir / f"fazhi-{os.getuid()}"
    return sorted(parent.iterdir()) if parent.is_dir() else []


def convert_and_kill(tmp_path: Path, doc: bytes, env: dict, jobs: int) -> Path:
    """Ingest `doc` (an .rtf), kill -9 fazhi while LibreOffice converts it; the folder it used."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "report.rtf").write_bytes(doc)
    out = tmp_path / "killed.log"
    run = start("ingest", str(folder), "--jobs", str(jobs), env=env, out=out)
    converter = wait_for(lambda: descendant(run.pid, "soffice.bin", "--convert-to"), run, out, "soffice.bin")
    scratch, = scratch_folders(Path(env["TMPDIR"]))
    assert str(scratch) in " ".join(converter.cmdline())
    kill_9_and_check(run, tree(run.pid), str(scratch) + os.sep)
    assert scratch.exists()   # killed before its cleanup: the next run's to remove
    return scratch


def next_run_clears(tmp_path: Path, env: dict, scratch: Path, path: Path) -> None:
    done = fazhi("ingest", str(path), env=env)
    no_traceback(done)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert not scratch.exists() and scratch_folders(Path(env["TMPDIR"])) == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_libreoffice_stand_in_dies_with_fazhi(fresh_schema, tmp_path, jobs):
    bin_dir, tmpdir = tmp_path / "bin", tmp_path / "tmp"
    bin_dir.mkdir()
    tmpdir.mkdir()
    fake = bin_dir / "soffice"
    fake.write_text(FAKE_SOFFICE)
    fake.chmod(0o755)
    env = {"PATH": f"{bin_dir}:{os.environ['PATH']}", "TMPDIR": str(tmpdir)}
    scratch = convert_and_kill(tmp_path, rtf(SEEDS[0].read_text(encoding="utf-8")), env, jobs)
    # The next run removes the folder even when it converts nothing.
    seed = tmp_path / "seed.txt"
    seed.write_text(SEEDS[1 + jobs].read_text(encoding="utf-8"), encoding="utf-8")
    next_run_clears(tmp_path, env, scratch, seed)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: apt install libreoffice-writer")
def test_real_libreoffice_dies_with_fazhi(fresh_schema, tmp_path):
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    env = {"TMPDIR": str(tmpdir)}
    text = SEEDS[4].read_text(encoding="utf-8")
    scratch = convert_and_kill(tmp_path, rtf(text * 200), env, jobs=1)   # converts for many seconds
    # The next run converts for real, in a folder of its own, and removes both.
    again = tmp_path / "again.rtf"
    again.write_bytes(rtf(text))
    next_run_clears(tmp_path, env, scratch, again)


# --- dbt ---------------------------------------------------------------------------------------

def test_dbt_dies_with_fazhi_build(fresh_schema, tmp_path):
    out = tmp_path / "build.log"
    run = start("build", env={}, out=out)
    dbt = wait_for(lambda: descendant(run.pid, "--project-dir", str(DBT_DIR)), run, out, "dbt")
    assert dbt.ppid() == run.pid
    kill_9_and_check(run, [dbt, *dbt.children(recursive=True)], f"--project-dir {DBT_DIR} ")
    done = fazhi("build")
    no_traceback(done)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


# --- fazhi serve -------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def serve_home():
    home = Path(tempfile.mkdtemp(prefix="fazhi-orphans-"))   # under /tmp: the server user traverses it as root
    yield home
    try:
        stop_server(home)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def test_serve_postgres_and_listener_die_with_serve(serve_home, tmp_path):
    port = free_port()
    env = {"FAZHI_HOME": str(serve_home), "DATABASE_URL": "", "FAZHI_LISTEN_PORT": "", "NOTIFY_SOCKET": ""}
    out = tmp_path / "serve.log"

    def url() -> str:
        return f"postgresql://postgres:{serverfs.read_password(serve_home)}@127.0.0.1:{port}/fazhi"

    run = start("serve", "--port", str(port), env=env, out=out)
    wait_for(lambda: "superuser postgres" in out.read_text(), run, out, "a server")
    pgdata = (serve_home / "pgdata").resolve()
    server = psutil.Process(postmaster(pgdata).pid)
    assert listening(port)
    with psycopg.connect(url(), autocommit=True) as conn:
        conn.execute("create table kept as select 'kept' as word")
    log = serve_home / "pgdata" / "server.log"
    logged = log.stat().st_size
    kill_9_and_check(run, [server, *server.children(recursive=True)], str(pgdata), cwd=pgdata)
    assert not listening(port)
    shutdown = log.read_text(errors="replace")[logged:]
    assert "received fast shutdown request" in shutdown and "database system is shut down" in shutdown
    # The next serve starts at once (nothing to recover) and has the data.
    out2 = tmp_path / "serve2.log"
    again = start("serve", "--port", str(port), env=env, out=out2)
    try:
        wait_for(lambda: "superuser postgres" in out2.read_text(), again, out2, "a server")
        with psycopg.connect(url()) as conn:
            assert conn.execute("select word from kept").fetchone() == ("kept",)
        assert "was interrupted" not in log.read_text(errors="replace")[logged:]
        again.send_signal(signal.SIGTERM)
        assert again.wait(timeout=60) == 0
    finally:
        if again.poll() is None:
            again.kill()
    assert "Traceback" not in out.read_text() + out2.read_text()
