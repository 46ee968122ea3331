"""`fazhi serve` as a service: real serve processes on a real embedded Postgres of their own, each
told to report to a real AF_UNIX datagram socket, as systemd's NOTIFY_SOCKET would be."""
from __future__ import annotations

import io
import itertools
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import psycopg
import pytest
from test_server import _alive, _discard, _free_port, _home, fazhi

from conftest import ROOT
from fazhi.warehouse import serverfs
from fazhi.warehouse.serve import LogTail
from fazhi.warehouse.server import ensure_server, postmaster, stop_server

pytestmark = pytest.mark.db
_names = itertools.count()


@pytest.fixture(scope="module")
def home():
    path = _home("fazhi-serve-")
    yield path
    _discard(path)


class Serve:
    """A `fazhi serve` child: stdout and stderr in files, a notify socket of its own."""

    def __init__(self, home: Path, tmp: Path, *args: str, abstract: bool = False):
        n = next(_names)
        name = f"fazhi-serve-test-{os.getpid()}-{n}"
        address = f"\0{name}" if abstract else str(tmp / f"notify-{n}")
        self.notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.notify.bind(address.encode())
        self.notify.settimeout(0.2)
        self.out, self.err = tmp / f"out-{n}", tmp / f"err-{n}"
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "FAZHI_LISTEN_PORT")}
        env.update(FAZHI_HOME=str(home), NOTIFY_SOCKET=f"@{name}" if abstract else address)
        with open(self.out, "wb") as out, open(self.err, "wb") as err:
            self.proc = subprocess.Popen([sys.executable, "-m", "fazhi", "serve", *args], cwd=ROOT,
                                         stdout=out, stderr=err, env=env)

    def message(self, timeout: float = 60) -> str:
        """The next notification; fails at once if serve exits first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                return self.notify.recv(4096).decode()
            except TimeoutError:
                assert self.proc.poll() is None, f"serve exited {self.proc.returncode}: {self.stderr()}"
        raise AssertionError(f"no notification within {timeout} s: {self.stderr()}")

    def ready(self) -> str:
        msg = self.message()
        assert msg.startswith("READY=1\nSTATUS="), msg
        return msg

    def stderr(self) -> str:
        return self.err.read_text()

    def stdout(self) -> str:
        return self.out.read_text(errors="replace")

    def wait(self, timeout: float = 60) -> int:
        return self.proc.wait(timeout=timeout)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.notify.close()


@pytest.fixture
def serves(home, tmp_path):
    started: list[Serve] = []

    def start(*args: str, abstract: bool = False) -> Serve:
        started.append(Serve(home, tmp_path, *args, abstract=abstract))
        return started[-1]

    yield start
    for serve in started:
        serve.close()


def _superuser_url(home: Path, host: str = "", port: int | None = None) -> str:
    pm = postmaster(home / "pgdata")
    password = serverfs.read_password(home)
    if host:
        return f"postgresql://postgres:{password}@{host}:{port}/fazhi"
    return f"postgresql://postgres:{password}@/fazhi?host={pm.socket_dir}&port={pm.port}"


def _tcp_listeners(pid: int) -> list:
    return [c for c in psutil.Process(pid).net_connections(kind="inet") if c.status == psutil.CONN_LISTEN]


def _eventually(check, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _last_line(serve: Serve) -> str:
    err = serve.stderr()
    assert "Traceback" not in err
    return err.strip().splitlines()[-1]


def test_socket_only_until_sigterm(home, serves):
    serve = serves(abstract=True)  # systemd hands out abstract sockets: '@name'
    assert "TCP" not in serve.ready()
    pm = postmaster(home / "pgdata")
    assert pm.listen == "" and _tcp_listeners(pm.pid) == []
    # Other commands use the served server as it runs: no restart, even when asked for a listener.
    marker = f"serve-test-marker-{os.getpid()}"
    done = fazhi(home, "psql", "-Atc", f"do $$ begin raise log '{marker}'; end $$; select 42",
                 FAZHI_LISTEN_PORT=str(_free_port()))
    assert done.returncode == 0 and done.stdout.split() == ["DO", "42"], done.stderr
    assert postmaster(home / "pgdata").pid == pm.pid and _tcp_listeners(pm.pid) == []
    assert _eventually(lambda: marker in serve.stdout()), "the server's log is not copied to stdout"
    stop = fazhi(home, "db-stop")
    assert stop.returncode == 3 and stop.stderr.strip() == (
        f"the embedded Postgres is served by fazhi serve (pid {serve.proc.pid}): stop that service instead "
        f"(or fazhi db-stop --force)")
    second = fazhi(home, "serve")
    assert second.returncode == 3 and f"fazhi serve already runs on {home} (pid {serve.proc.pid})" in second.stderr
    assert len(second.stderr.strip().splitlines()) == 1
    serve.proc.send_signal(signal.SIGTERM)
    assert serve.message().startswith("STOPPING=1")
    assert serve.wait() == 0 and _last_line(serve) == "stopped" and not _alive(pm.pid)
    assert "database system is shut down" in serve.stdout()


def test_tcp_reader_with_its_password_only(home, serves):
    port = _free_port()
    serve = serves("--port", str(port))
    assert f"TCP 127.0.0.1:{port}" in serve.ready()
    assert serverfs.read_password(home) not in serve.stderr()
    pid = postmaster(home / "pgdata").pid
    done = fazhi(home, "grant-reader", "serve_reader", "--password-stdin", stdin="Serve-Reader-Pw-1\n")
    assert done.returncode == 0, done.stderr
    tcp_url = done.stdout.strip().splitlines()[-1]
    assert tcp_url == f"postgresql://serve_reader:Serve-Reader-Pw-1@127.0.0.1:{port}/fazhi"
    with psycopg.connect(tcp_url) as conn:
        assert conn.execute("select current_user, inet_server_port()").fetchone() == ("serve_reader", port)
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(tcp_url.replace("Pw-1", "Pw-2"))
    assert postmaster(home / "pgdata").pid == pid and _tcp_listeners(pid)  # listener kept
    # db-stop --force stops it under serve, which exits 3 for its service manager to restart it.
    assert fazhi(home, "db-stop", "--force").returncode == 0
    assert serve.wait(timeout=10) == 3
    assert "stopped under fazhi serve" in _last_line(serve) and str(home / "pgdata" / "server.log") in _last_line(serve)


def _busy_backend(url: str) -> threading.Thread:
    """A query that runs on after its postmaster is killed (it never looks for it)."""
    def run():
        try:
            with psycopg.connect(url) as conn:
                conn.execute("select count(*) from generate_series(1, 10000000000)")
        except psycopg.Error:
            pass  # ended by the next start: what the test wants

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_kill_9_then_serve_again(home, serves):
    serve = serves()
    serve.ready()
    pm = postmaster(home / "pgdata")
    with psycopg.connect(_superuser_url(home)) as conn:
        conn.execute("create table survivor as select 'kept' as word")
    busy = _busy_backend(_superuser_url(home))
    with psycopg.connect(_superuser_url(home), autocommit=True) as conn:
        assert _eventually(lambda: conn.execute("select count(*) from pg_stat_activity "
                                                "where query like '%generate_series%' and pid <> pg_backend_pid()"
                                                ).fetchone() == (1,))
    backends = [p.pid for p in psutil.Process(pm.pid).children()]
    # The server crashes first (serve's own postmaster would shut down cleanly when serve is
    # killed: tests/reliability/test_orphans.py), then serve is killed.
    os.kill(pm.pid, signal.SIGKILL)
    serve.proc.kill()
    serve.wait()
    assert (home / "pgdata" / "postmaster.pid").exists() and list(Path(pm.socket_dir).glob(".s.PGSQL.*.lock"))
    again = serves()
    again.ready()
    assert [pid for pid in backends if _alive(pid)] == []  # the orphaned busy backend was ended
    with psycopg.connect(_superuser_url(home)) as conn:
        assert conn.execute("select word from survivor").fetchone() == ("kept",)
    busy.join(timeout=10)
    os.kill(postmaster(home / "pgdata").pid, signal.SIGKILL)  # a crash under a running serve
    assert again.wait(timeout=10) == 3
    assert "stopped under fazhi serve" in _last_line(again)


def test_listen_all_admits_by_password_only(home, serves):
    port = _free_port()
    serve = serves("--port", str(port), "--listen", "0.0.0.0")
    assert f"TCP 0.0.0.0:{port}" in serve.ready()
    assert "warning: TCP on 0.0.0.0" in serve.stderr()
    hba = (home / "pgdata" / "pg_hba.conf").read_text()
    rules = [line.split() for line in hba.splitlines() if line.strip() and not line.startswith("#")]
    assert ["host", "all", "all", "0.0.0.0/0", "scram-sha-256"] in rules
    assert all(rule[-1] == "scram-sha-256" for rule in rules) and "trust" not in hba
    with psycopg.connect(_superuser_url(home, "127.0.0.1", port)) as conn:
        conn.execute("select 1")
    serve.proc.send_signal(signal.SIGINT)
    assert serve.wait() == 0
    # The next start without --listen takes the wide rule away.
    ensure_server(home, exact=True)
    assert "0.0.0.0/0" not in (home / "pgdata" / "pg_hba.conf").read_text()


@pytest.mark.parametrize("args, error", [
    (["--port", "1", "--listen", "localhost"], "--listen takes an IP address such as 127.0.0.1 or 0.0.0.0, not 'localhost'"),
    (["--listen", "0.0.0.0"], "--listen needs --port (or FAZHI_LISTEN_PORT)"),
])
def test_bad_listen_is_a_usage_error(home, args, error):
    done = fazhi(home, "serve", *args)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1 and error in done.stderr


def test_pg_hba_for_each_listener():
    assert serverfs.hba("") == serverfs.hba("127.0.0.1")
    assert serverfs.hba("::").splitlines()[-1].split() == ["host", "all", "all", "::/0", "scram-sha-256"]
    assert serverfs.hba("::1").splitlines()[-1].split()[3] == "::1/128"
    assert serverfs.hba("10.0.0.5").splitlines()[-1].split()[3] == "0.0.0.0/0"


def test_log_tail_copies_whole_lines(tmp_path):
    log = tmp_path / "server.log"
    log.write_bytes(b"before serve\n")
    tail = LogTail(log, say=print)
    tail.out = io.BytesIO()
    with open(log, "ab") as f:
        f.write(b"one\ntw")
    tail.pump()
    assert tail.out.getvalue() == b"one\n"  # half a line waits for its end
    with open(log, "ab") as f:
        f.write(b"o\n")
    tail.pump()
    log.write_bytes(b"cut\nlast")  # truncated by hand: copied from its start
    tail.pump(final=True)
    assert tail.out.getvalue() == b"one\ntwo\ncut\nlast\n"


def _socket_user(url: str) -> tuple:
    with psycopg.connect(url, connect_timeout=10) as conn:
        return conn.execute("select current_user, inet_server_port()").fetchone()  # null port: the socket


def test_socket_url_does_not_depend_on_port(home, serves):
    """One socket URL whether the server runs plain, under serve, or under serve --port N (issue 23):
    a dashboard imported against it keeps working however the warehouse is started next."""
    stop_server(home)
    plain = fazhi(home, "db-url", "--show-password")
    assert plain.returncode == 0, plain.stderr
    url = plain.stdout.strip()
    assert url.endswith("&port=5432") and _socket_user(url) == ("postgres", None)
    reader = fazhi(home, "grant-reader", "socket_reader", "--password-stdin", stdin="Socket-Reader-Pw-1\n")
    assert reader.returncode == 0, reader.stderr
    reader_url = reader.stdout.strip().splitlines()[0]
    assert reader_url.startswith("postgresql://socket_reader:") and "&port=5432" in reader_url
    for args in (("--port", str(_free_port())), (), ("--port", str(_free_port()))):
        serve = serves(*args)
        serve.ready()
        pm = postmaster(home / "pgdata")
        assert pm.port == (int(args[1]) if args else 5432)
        served = fazhi(home, "db-url", "--show-password")
        assert served.returncode == 0 and served.stdout.strip() == url, served.stderr
        assert _socket_user(url) == ("postgres", None)
        assert _socket_user(reader_url) == ("socket_reader", None)
        again = fazhi(home, "grant-reader", "socket_reader", "--password-stdin", stdin="Socket-Reader-Pw-1\n")
        assert again.returncode == 0 and again.stdout.strip().splitlines()[0] == reader_url, again.stderr
        if args:
            with psycopg.connect(_superuser_url(home, "127.0.0.1", pm.port)) as conn:
                assert conn.execute("select inet_server_port()").fetchone() == (pm.port,)
        serve.proc.send_signal(signal.SIGTERM)
        assert serve.wait() == 0
    assert fazhi(home, "db-url").returncode == 0  # a plain start after serve --port: the same URL
    assert _socket_user(url) == ("postgres", None)
