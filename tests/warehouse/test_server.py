"""The embedded server's security and lifecycle, on a real Postgres of its own (not the session one)."""
from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import psutil
import psycopg
import pytest
from sqlalchemy import create_engine, text

from conftest import ROOT
from fazhi.warehouse import serverfs
from fazhi.warehouse.config import sqlalchemy_url, with_user
from fazhi.warehouse.passwords import new_password
from fazhi.warehouse.roles import grant_reader, grant_readers_on
from fazhi.warehouse.server import ensure_server, postmaster, stop_server
from ingest.errors import FazhiError

pytestmark = pytest.mark.db
ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (another local user)")
PSQL = str(serverfs.wheel_pginstall() / "bin" / "psql")


def _home(prefix: str) -> Path:
    # Directly under /tmp: as root the server user must be able to traverse the parents.
    return Path(tempfile.mkdtemp(prefix=prefix))


def _discard(home: Path) -> None:
    try:
        stop_server(home)
    finally:
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="module")
def home():
    path = _home("fazhi-srv-")
    yield path
    _discard(path)


@pytest.fixture
def srv(home):
    return ensure_server(home)  # cheap when it runs already; some tests stop or restart it


def fazhi(home: Path, *args: str, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "FAZHI_LISTEN_PORT")}
    return subprocess.run([sys.executable, "-m", "fazhi", *args], cwd=ROOT, capture_output=True, text=True,
                          input=stdin, env={**environ, "FAZHI_HOME": str(home), **env}, timeout=120)


def _server_uid() -> int:
    account = serverfs.server_account()
    return account.pw_uid if account else os.geteuid()


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_nobody(cmd: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, user="nobody", group=65534, extra_groups=[], cwd="/", capture_output=True,
                          text=True, env={"PATH": "/usr/bin:/bin"}, timeout=60)


def test_files_are_private(srv):
    hba = (srv.pgdata / "pg_hba.conf").read_text()
    rules = [line.split() for line in hba.splitlines() if line.strip() and not line.startswith("#")]
    assert rules and all(rule[-1] == "scram-sha-256" for rule in rules)
    assert "trust" not in hba
    assert stat.S_IMODE((srv.home / "superuser.password").stat().st_mode) == 0o600
    sock = Path(srv.socket_dir)
    assert sock == srv.home / "run" and (sock / ".s.PGSQL.5432").is_socket()
    assert stat.S_IMODE(sock.stat().st_mode) == 0o700 and sock.stat().st_uid == _server_uid()
    assert srv.listen == ""


def test_password_is_required(srv):
    with psycopg.connect(srv.url("fazhi")) as conn:
        assert conn.execute("select current_user").fetchone()[0] == "postgres"
    for password in ("wrong", ""):
        with pytest.raises(psycopg.OperationalError, match="password"):
            psycopg.connect(srv.url("fazhi", password=password))


def test_reader_is_confined(srv):
    engine = create_engine(sqlalchemy_url(srv.url("fazhi")))
    password = new_password()
    with engine.begin() as conn:
        grant_reader(conn, "srv_reader", password)
        conn.execute(text("create table marts.kept (a int); insert into marts.kept values (1)"))
    url = with_user(srv.url("fazhi"), "srv_reader", password)
    with psycopg.connect(url) as conn:
        conn.execute("set default_transaction_read_only = off")
        conn.commit()  # the next transaction is read-write: only privileges stop it now
        assert conn.execute("select a from marts.kept").fetchone() == (1,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("create temp table t (a int)")
    with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
        psycopg.connect(with_user(srv.url("postgres"), "srv_reader", password))
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(with_user(srv.url("fazhi"), "srv_reader", "not-" + password))
    # A schema swapped in (as a build does) is readable once grant_readers_on has run.
    with engine.begin() as conn:
        conn.execute(text("create schema marts_next; create table marts_next.fresh (b int)"))
        conn.execute(text("alter schema marts rename to marts_old; alter schema marts_next rename to marts"))
        grant_readers_on(conn, ["marts"])
    with psycopg.connect(url) as conn:
        assert conn.execute("select count(*) from marts.fresh").fetchone() == (0,)
    engine.dispose()


def test_grant_reader_cli_prints_a_working_url(srv, home):
    done = fazhi(home, "grant-reader", "cli_reader", "--password-stdin", stdin="Cli-Reader-Pw-1\n")
    assert done.returncode == 0, done.stderr
    url = done.stdout.strip()
    assert url.startswith("postgresql://cli_reader:Cli-Reader-Pw-1@")
    with psycopg.connect(url) as conn:
        assert conn.execute("select current_user").fetchone() == ("cli_reader",)
    generated = fazhi(home, "grant-reader", "cli_reader")
    assert generated.returncode == 0 and "Cli-Reader-Pw-1" not in generated.stdout
    with psycopg.connect(generated.stdout.strip()):
        pass
    assert "--password " not in fazhi(home, "grant-reader", "--help").stdout


@ROOT_ONLY
def test_other_local_users_cannot_connect(srv, home):
    port = _free_port()
    tcp = ensure_server(home, port)
    assert (tcp.listen, tcp.port) == ("127.0.0.1", port)
    via_socket = _as_nobody([PSQL, "-w", "-h", tcp.socket_dir, "-p", str(port), "-U", "postgres", "-d", "fazhi",
                             "-c", "select 1"])
    assert via_socket.returncode != 0 and "Permission denied" in via_socket.stderr
    via_tcp = _as_nobody([PSQL, "-w", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", "fazhi",
                          "-c", "select 1"])
    assert via_tcp.returncode != 0 and "no password supplied" in via_tcp.stderr
    # The right password works over TCP, as for a BI tool.
    with psycopg.connect(tcp.tcp_url("fazhi", "postgres", tcp.password)) as conn:
        assert conn.execute("select inet_server_addr()::text").fetchone()[0].startswith("127.0.0.1")


def test_psql_gets_the_password_from_the_environment(srv, home):
    done = fazhi(home, "psql", "-At", "-c", "select 40 + 2")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "42"
    # psql shows its own command line: the password is not on it.
    argv = fazhi(home, "psql", "-c", r'\! tr "\0" " " < /proc/$PPID/cmdline')
    assert "psql" in argv.stdout and srv.password not in argv.stdout


def test_db_url_masks_the_password(srv, home):
    masked = fazhi(home, "db-url").stdout.strip()
    assert masked.startswith("postgresql://postgres:***@/fazhi?host=") and srv.password not in masked
    shown = fazhi(home, "db-url", "--show-password").stdout.strip()
    assert shown == srv.url("fazhi")


def test_start_failure_is_one_line(srv, home):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(FazhiError, match=f"{srv.pgdata} did not start: .*Address already in use"):
            ensure_server(home, port)


def test_db_stop_stops(srv, home):
    pid = postmaster(srv.pgdata).pid
    done = fazhi(home, "db-stop")
    assert done.returncode == 0 and "stopped" in done.stderr
    assert not _alive(pid)
    again = fazhi(home, "db-stop")
    assert again.returncode == 0 and "not running" in again.stderr
    # A pid file naming a live process that is not our server: not running, and nothing is killed.
    sleeper = subprocess.Popen(["sleep", "60"])
    try:
        (srv.pgdata / "postmaster.pid").write_text(f"{sleeper.pid}\n{srv.pgdata}\n0\n5432\n{srv.socket_dir}\n\n")
        stale = fazhi(home, "db-stop")
        assert "not running" in stale.stderr and sleeper.poll() is None
    finally:
        sleeper.kill()
        sleeper.wait()


def test_concurrent_starts_share_one_server(srv, home):
    stop_server(home)
    procs = [subprocess.Popen([sys.executable, "-m", "fazhi", "db-url"], cwd=ROOT, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env={**os.environ, "FAZHI_HOME": str(home)}) for _ in range(3)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outs
    assert len({out for out, _ in outs}) == 1
    main = postmaster(srv.pgdata).pid
    strays = [p for p in psutil.process_iter(["name", "cwd", "ppid"]) if p.info["name"] == "postgres"
              and p.info["cwd"] == str(srv.pgdata) and main not in (p.pid, p.info["ppid"])]
    assert strays == []


def test_trust_folder_from_old_fazhi_is_upgraded():
    home = _home("fazhi-old-")
    pgdata = home / "pgdata"
    pgdata.mkdir(mode=0o700)
    owner = {}
    if os.geteuid() == 0:  # the old code ran the server as another user; initdb refuses root
        home.chmod(0o755)
        os.chown(pgdata, 65534, 65534)
        owner = {"user": 65534, "group": 65534, "extra_groups": []}
    bin_dir = serverfs.wheel_pginstall() / "bin"
    try:
        subprocess.run([str(bin_dir / "initdb"), "-D", str(pgdata), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
                       check=True, capture_output=True, cwd="/", **owner)
        subprocess.run([str(bin_dir / "postgres"), "--single", "-D", str(pgdata), "postgres"], check=True,
                       input=b"create table kept as select 42 as answer\n", capture_output=True, cwd="/", **owner)
        server = ensure_server(home)
        assert not serverfs.hba_trusts(pgdata) and "scram-sha-256" in (pgdata / "pg_hba.conf").read_text()
        with psycopg.connect(server.url("postgres")) as conn:
            assert conn.execute("select answer from kept").fetchone() == (42,)
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(server.url("postgres", password="")).close()
    finally:
        _discard(home)


def test_long_home_gets_a_short_private_socket_folder():
    base = _home("fazhi-long-")
    base.chmod(0o755)  # our choice for the test: the server user must reach the home below it
    home = base / ("a-long-folder-name-" * 5)
    before = {p: p.stat().st_mode for p in (base, base.parent)}
    try:
        server = ensure_server(home)
        sock = Path(server.socket_dir)
        assert sock.parent == Path("/tmp") and sock.name.startswith(f"fazhi-{os.getuid()}-")
        info = sock.lstat()
        assert stat.S_ISDIR(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o700 and info.st_uid == _server_uid()
        with psycopg.connect(server.url("fazhi")) as conn:
            conn.execute("select 1")
        assert {p: p.stat().st_mode for p in before} == before
    finally:
        _discard(home)
        shutil.rmtree(base, ignore_errors=True)
        shutil.rmtree(sock, ignore_errors=True)


def test_a_squatted_socket_folder_is_replaced(tmp_path):
    home = tmp_path / ("b-long-folder-name-" * 5)
    home.mkdir(parents=True)
    first = serverfs.socket_dir(home, None)
    second = first
    try:
        assert first.parent == Path("/tmp") and stat.S_IMODE(first.lstat().st_mode) == 0o700
        assert serverfs.socket_dir(home, None) == first  # remembered in FAZHI_HOME
        first.rmdir()
        first.symlink_to(tmp_path)  # its name leaked and someone took it
        second = serverfs.socket_dir(home, None)
        assert second != first and not second.is_symlink() and stat.S_IMODE(second.lstat().st_mode) == 0o700
        assert serverfs.socket_dir(home, None) == second
    finally:
        if first.is_symlink():
            first.unlink()
        for sock in (first, second):
            shutil.rmtree(sock, ignore_errors=True)


def test_half_made_data_folder_is_named(tmp_path):
    home = _home("fazhi-half-")
    try:
        (home / "pgdata").mkdir()
        (home / "pgdata" / "leftover").write_text("x")
        with pytest.raises(FazhiError, match=f"{home / 'pgdata'} is not empty but holds no Postgres data"):
            ensure_server(home)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _one_line_exit_3(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 3, (done.stdout, done.stderr)
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    return done.stderr


def test_unsupported_url_is_one_line():
    err = _one_line_exit_3(fazhi(Path("/nonexistent"), "db-url", DATABASE_URL="mysql://u:p@db/fazhi"))
    assert "DATABASE_URL must be a postgresql:// URL, got mysql://" in err


def test_unwritable_home_is_one_line(tmp_path):
    if os.geteuid() == 0:  # root writes anywhere: a home below a file cannot be made
        (tmp_path / "file").write_text("")
        home = tmp_path / "file" / "fazhi"
    else:
        (tmp_path / "ro").mkdir(mode=0o555)
        home = tmp_path / "ro" / "fazhi"
    err = _one_line_exit_3(fazhi(home, "db-url"))
    assert str(home) in err


@ROOT_ONLY
def test_home_closed_to_the_server_user_is_one_line(tmp_path):
    closed = tmp_path / "closed"
    closed.mkdir(mode=0o700)
    err = _one_line_exit_3(fazhi(closed / "fazhi", "db-url"))
    assert "cannot enter" in err
    assert "set FAZHI_HOME" in err and stat.S_IMODE(closed.stat().st_mode) == 0o700


@ROOT_ONLY
def test_disk_full_names_the_data_folder():
    mnt = _home("fazhi-full-")
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m,mode=0755", "tmpfs", str(mnt)],
                      capture_output=True).returncode != 0:
        mnt.rmdir()
        pytest.skip("cannot mount a small tmpfs here")
    try:
        for _ in range(2):  # the second run must blame the same folder, not what the first left behind
            err = _one_line_exit_3(fazhi(mnt / "home", "db-url"))
            assert f"disk full: the embedded Postgres cannot write to {mnt / 'home' / 'pgdata'}" in err
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)
        mnt.rmdir()

