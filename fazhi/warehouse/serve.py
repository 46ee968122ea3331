"""`fazhi serve`: the embedded warehouse in the foreground, for systemd, Docker or a terminal.

One serve per FAZHI_HOME (serverfs.hold_serve_lock: a flock the kernel drops when serve dies, so
kill -9 leaves nothing to clean). It starts the server with exactly the listener asked for,
tells systemd once the fazhi database accepts connections (sd_notify), copies the lines the
server adds to pgdata/server.log to stdout, and on SIGTERM or SIGINT stops the server (pg_ctl
fast) and exits 0. The server it starts is its child and shuts down (fast) when serve dies,
even by kill -9: no TCP listener outlives it (a server that already ran as asked is used as it
runs, and stays). When the postmaster dies under it (a crash, a kill, db-stop --force) serve
exits 3 naming the log, so Restart=on-failure starts it again; that start clears what the dead
server left (server.py). Other fazhi commands use the served server as it runs.
"""
from __future__ import annotations

import ipaddress
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ingest.errors import EXIT_USAGE, FazhiError

from . import sdnotify
from . import serverfs as fs

POLL = 0.2  # seconds between looks at the postmaster and the log: how late serve notices either
Say = Callable[..., None]  # say(line, style=None): one line per event, on stderr


def check_listen(address: str, port: int | None) -> str:
    """--listen ADDR: an IP address (returned normalised), and only with a TCP port."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        raise FazhiError(f"--listen takes an IP address such as 127.0.0.1 or 0.0.0.0, not {address!r}",
                         EXIT_USAGE) from None
    if ip.is_multicast:
        raise FazhiError(f"--listen {ip}: a multicast address cannot take connections", EXIT_USAGE)
    if str(ip) != "127.0.0.1" and port is None:
        raise FazhiError("--listen needs --port (or FAZHI_LISTEN_PORT): without one there is no TCP listener",
                         EXIT_USAGE)
    return str(ip)


class LogTail:
    """Copies the whole lines the server adds to its log file to stdout (journald, docker logs)."""

    def __init__(self, path: Path, say: Say):
        self.path, self.say = path, say
        self.offset = path.stat().st_size if path.exists() else 0  # what this run adds, no history
        self.partial = b""
        self.out = sys.stdout.buffer

    def pump(self, final: bool = False) -> None:
        if self.out is None:
            return
        try:
            with open(self.path, "rb") as f:
                if os.fstat(f.fileno()).st_size < self.offset:
                    self.offset = 0  # truncated by hand: it starts again
                f.seek(self.offset)
                data = f.read()
            self.offset += len(data)
            whole, newline, self.partial = (self.partial + data).rpartition(b"\n")
            if final and self.partial:
                whole, newline, self.partial = whole + newline + self.partial, b"\n", b""
            if newline:
                self.out.write(whole + b"\n")
                self.out.flush()
        except FileNotFoundError:
            pass  # not created yet (a first start) or moved away: the next look finds it
        except OSError as exc:  # a closed stdout or an unreadable log must not stop the warehouse
            self.out = None
            self.say(f"warning: no longer copying {self.path} to stdout: {exc.strerror or exc}", style="yellow")


def run(port: int | None, listen: str, show_password: bool, say: Say) -> None:
    from .config import DB_NAME, fazhi_home, is_embedded, listen_port
    from .server import ensure_server, postmaster, stop_server

    if not is_embedded():
        raise FazhiError("fazhi serve runs the embedded Postgres; unset DATABASE_URL to use it")
    port = port or listen_port()
    address = check_listen(listen, port)
    notify_to = sdnotify.take_socket()
    home = fazhi_home()
    fs.prepare_home(home)
    fs.hold_serve_lock(home)  # its fd stays open, so the lock is held until this process ends
    stop = _stop_on_signals()
    tail = LogTail(home / "pgdata" / "server.log", say)
    if port and not ipaddress.ip_address(address).is_loopback:
        say(f"warning: TCP on {_hostport(address, port)} is open to every network that reaches this host "
            f"(a password is still required): use it only inside a container, published on the host's 127.0.0.1",
            style="yellow")
    server = ensure_server(home, port, DB_NAME, listen=address, exact=True, owned=True)
    running = postmaster(server.pgdata)
    if running is None:
        raise FazhiError(f"the embedded Postgres in {server.pgdata} stopped as it started; "
                         f"see {server.pgdata / 'server.log'}")
    _announce(server, running.pid, show_password, say)
    sdnotify.notify(notify_to, "READY=1", f"STATUS={_status(server)}")
    _watch(server.pgdata, running.pid, tail, stop)
    try:
        sdnotify.notify(notify_to, "STOPPING=1", "STATUS=stopping the embedded Postgres")
    except FazhiError:
        pass  # stopping the server matters more than telling systemd
    say(f"stopping the embedded Postgres (pid {running.pid})")
    stop_server(home)
    tail.pump(final=True)
    say("stopped")


def _stop_on_signals() -> list[int]:
    """SIGTERM (systemd, docker stop) and SIGINT (Ctrl-C) end the watch; the list holds what came."""
    stop: list[int] = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda signum, frame: stop.append(signum))
    return stop


def _watch(pgdata: Path, pid: int, tail: LogTail, stop: list[int]) -> None:
    """Until a signal: copy the log and check the postmaster; exit 3 if it dies under us."""
    from .server import is_postmaster

    while not stop:
        tail.pump()
        if not is_postmaster(pid, pgdata):
            tail.pump(final=True)
            raise FazhiError(f"the embedded Postgres (pid {pid}) stopped under fazhi serve (a crash, a kill or "
                             f"fazhi db-stop --force); see {pgdata / 'server.log'}")
        time.sleep(POLL)


def _hostport(address: str, port: int) -> str:
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def _status(server) -> str:
    tcp = f" and TCP {_hostport(server.listen, server.port)}" if server.listen else ""
    return f"serving database fazhi on the socket in {server.socket_dir}{tcp}"


def _announce(server, pid: int, show_password: bool, say: Say) -> None:
    tcp = "" if server.listen else " (no TCP: --port N adds it)"
    say(f"fazhi serve (pid {os.getpid()}): {_status(server)}{tcp}; Postgres pid {pid}, data in {server.pgdata}")
    secret = server.password if show_password else f"in {server.home / fs.PASSWORD_FILE}"
    say(f"superuser postgres, password {secret}; dashboards: fazhi grant-reader NAME; "
        f"the server's log follows on stdout; SIGTERM or Ctrl-C stops it")
