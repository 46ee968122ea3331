"""Malformed settings and command lines end in one line and the documented exit code, never a
traceback; FAZHI_HOME and its socket folder stay private and cannot be taken from us. Every case
is a real `fazhi` run in a child process."""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import psutil
import pytest

from conftest import ROOT, SEEDS
from ingest.errors import EXIT_USAGE
from ingest.parse.pipeline import default_jobs
from runs import LIMIT, fazhi, no_traceback


def one_line(run: subprocess.CompletedProcess, code: int = EXIT_USAGE) -> str:
    no_traceback(run)
    assert run.returncode == code, (run.returncode, run.stderr)
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    return run.stderr


@pytest.mark.parametrize("url, reason", [
    ("postgresql://u:s3cret@[::1/fazhi", "not a valid URL: Invalid IPv6 URL"),
    ("postgresql://u:s3cret@localhost:99999/fazhi", "port must be a number from 1 to 65535, got '99999'"),
    ("postgresql://u:s3cret@localhost:0/fazhi", "got '0'"),
    ("postgresql://u:s3cret@localhost:5x/fazhi", "got '5x'"),
    ("postgresql://u:s3cret@/fazhi?host=/run/pg&port=99999", "got '99999'"),
    ("postgresql://u:s3cret@/fazhi?port=abc", "got 'abc'"),
])
@pytest.mark.parametrize("command", ["db-env", "psql", "db-url", "status"])
def test_malformed_database_url_is_one_usage_line(url, reason, command):
    err = one_line(fazhi(command, env={"DATABASE_URL": url}, timeout=60))
    assert "DATABASE_URL" in err and reason in err and "s3cret" not in err


def test_unsupported_url_scheme_still_cannot_run():
    err = one_line(fazhi("db-env", env={"DATABASE_URL": "mysql://u@db/fazhi"}, timeout=60), 3)
    assert "must be a postgresql:// URL" in err


@pytest.mark.parametrize("args, expect", [
    (["migrate", "extra"], "unknown revision 'extra': fazhi migrate takes head"),
    (["migrate", ""], "unknown revision ''"),
    (["migrate", "head", "extra"], "unexpected extra argument"),
])
def test_migrate_with_a_wrong_argument_is_a_usage_error(args, expect):
    run = fazhi(*args, env={"DATABASE_URL": "postgresql://u@localhost:1/nowhere"}, timeout=60)
    no_traceback(run)
    assert run.returncode == EXIT_USAGE and expect in run.stderr, run.stderr


@pytest.mark.parametrize("name, value", [
    ("FAZHI_MAX_FILE_MB", "nan"), ("FAZHI_MAX_FILE_MB", "inf"), ("FAZHI_MAX_FILE_MB", "-inf"),
    ("FAZHI_MAX_FILE_MB", "1e308"), ("FAZHI_MAX_FILE_MB", "0"), ("FAZHI_FILE_SECONDS", "1e308"),
    ("FAZHI_FILE_SECONDS", "NaN"), ("FAZHI_FILE_SECONDS", "infinity"), ("FAZHI_FILE_SECONDS", "2e6"),
])
def test_limits_must_be_finite_and_sane(name, value):
    err = one_line(fazhi("parse", "--json", str(SEEDS[0]), env={name: value}, timeout=60))
    assert name in err and "at most" in err


def test_sane_limits_are_taken():
    run = fazhi("parse", "--json", str(SEEDS[0]), env={"FAZHI_MAX_FILE_MB": "1e5", "FAZHI_FILE_SECONDS": "86400"},
                timeout=120)
    assert run.returncode == 0 and '"error"' not in run.stdout, run.stderr


def test_jobs_are_capped_at_four_per_core():
    cap = 4 * default_jobs()
    proc = subprocess.Popen([sys.executable, "-m", "fazhi", "parse", "--json", "-j", "10000", *map(str, SEEDS)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    most, done = 0, threading.Event()

    def count():
        nonlocal most
        me = psutil.Process(proc.pid)
        while not done.is_set():
            try:
                most = max(most, len(me.children(recursive=True)))
            except psutil.NoSuchProcess:
                return
            done.wait(0.02)

    watcher = threading.Thread(target=count)
    watcher.start()
    try:
        out, err = proc.communicate(timeout=180)
    finally:
        done.set()
        watcher.join()
    assert proc.returncode == 0, err
    assert f"--jobs 10000 is more than 4 per core: using {cap}" in err
    assert len(out.splitlines()) == len(SEEDS)
    assert 0 < most <= cap + 1  # the workers, and multiprocessing's resource tracker at most


@pytest.mark.parametrize("name", ["public", "none", "pg_monitor", "postgres", "fazhi_readers", "Bad-Name",
                                  "1abc", "current_user"])
def test_grant_reader_refuses_reserved_and_invalid_names(name):
    # Refused before the server is asked anything: no database behind this URL.
    err = one_line(fazhi("grant-reader", name, env={"DATABASE_URL": "postgresql://u@localhost:1/nowhere"},
                         timeout=60))
    assert "role name" in err


@pytest.fixture(scope="module")
def ingested(fresh_schema):
    run = fazhi("ingest", str(SEEDS[0]))
    assert run.returncode == 0, run.stderr


def test_plot_of_an_unknown_indicator_suggests_the_code(ingested, tmp_path):
    err = one_line(fazhi("plot", "litigation.head_appearance_rat", "--year", "2023", "-o", str(tmp_path / "c.png")))
    assert "unknown indicator 'litigation.head_appearance_rat'; did you mean litigation.head_appearance_rate" in err
    assert not (tmp_path / "c.png").exists()


def test_database_errors_name_the_real_data_folder(ingested, database_url):
    from fazhi.warehouse.config import fazhi_home, is_embedded

    if not is_embedded():
        pytest.skip("the tests run on FAZHI_TEST_DATABASE_URL, not an embedded server")
    home = fazhi_home()
    assert home.name != ".fazhi"
    # No marts built in this module: the export's query fails in the database.
    run = fazhi("export", "panel", "-o", os.devnull)
    err = one_line(run, 3)
    assert f"database error (embedded Postgres in {home / 'pgdata'})" in err and ".fazhi/pgdata" not in err


def _long_home(tag: str) -> Path:
    base = Path(tempfile.mkdtemp(prefix=f"fazhi-{tag}-"))
    base.chmod(0o755)  # as root the server user must reach the home below it
    return base / (f"{tag}-a-long-folder-name-" * 5)


def on_home(home: Path, *args: str) -> subprocess.CompletedProcess:
    """fazhi on the embedded server of `home`, whatever database the other tests use."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return subprocess.run([sys.executable, "-m", "fazhi", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**env, "FAZHI_HOME": str(home)}, timeout=LIMIT)


def _socket_dir(home: Path) -> Path:
    run = on_home(home, "db-url")
    assert run.returncode == 0, run.stderr
    return Path(run.stdout.split("host=", 1)[1].split("&", 1)[0].replace("%2F", "/"))


def test_home_is_created_private_and_an_open_one_is_closed():
    home = _long_home("mode")
    open_home = home.parent / "open"
    open_home.mkdir(mode=0o777)
    open_home.chmod(0o777)
    socks = []
    try:
        socks.append(_socket_dir(home))
        assert stat.S_IMODE(home.stat().st_mode) == 0o711
        socks.append(_socket_dir(open_home))
        assert stat.S_IMODE(open_home.stat().st_mode) == 0o711
    finally:
        for h in (home, open_home):
            on_home(h, "db-stop")
        for sock in socks:
            shutil.rmtree(sock, ignore_errors=True)
        shutil.rmtree(home.parent, ignore_errors=True)


def test_a_squatted_socket_folder_does_not_stop_the_server():
    """The /tmp socket folder of a long FAZHI_HOME: even when someone takes its name (it
    leaked, or was guessed) while the server is down, the next start uses a fresh one."""
    home = _long_home("squat")
    taken = _socket_dir(home)
    assert taken.parent == Path("/tmp") and taken != home / "run"
    assert _socket_dir(home) == taken  # the same folder while the server runs
    fresh = taken
    try:
        assert on_home(home, "db-stop").returncode == 0
        shutil.rmtree(taken)
        taken.mkdir(mode=0o777)
        taken.chmod(0o777)
        os.chown(taken, 65534, 65534) if os.geteuid() == 0 else None  # another local user's folder
        fresh = _socket_dir(home)
        assert fresh != taken and fresh.parent == Path("/tmp")
        info = fresh.lstat()
        assert stat.S_ISDIR(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o700
        assert list(taken.iterdir()) == []  # nothing of ours went into the squatted folder
    finally:
        on_home(home, "db-stop")
        for sock in {taken, fresh}:
            shutil.rmtree(sock, ignore_errors=True)
        shutil.rmtree(home.parent, ignore_errors=True)
