"""systemd's readiness protocol (sd_notify) without libsystemd: datagrams to $NOTIFY_SOCKET.

A path, or '@name' for the abstract namespace (what systemd itself hands out). Other kinds
(vsock, for VMs) are refused at start rather than left to make systemd time out.
"""
from __future__ import annotations

import os
import socket

from ingest.errors import FazhiError


def take_socket() -> bytes | None:
    """The address in NOTIFY_SOCKET, which is removed from our environment: the programs we start
    (pg_ctl, postgres) must not speak for us."""
    raw = os.environ.pop("NOTIFY_SOCKET", "")
    if not raw:
        return None
    if raw.startswith("@"):
        return b"\0" + raw[1:].encode()
    if raw.startswith("/"):
        return raw.encode()
    raise FazhiError(f"NOTIFY_SOCKET={raw} is not a Unix socket; fazhi serve speaks only to those")


def notify(address: bytes | None, *fields: str) -> None:
    """Send one message, e.g. notify(addr, "READY=1", "STATUS=serving"); nothing without an address."""
    if address is None:
        return
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.connect(address)
            sock.sendall("\n".join(fields).encode())
    except OSError as exc:
        where = address.replace(b"\0", b"@", 1).decode(errors="replace")
        raise FazhiError(f"cannot notify systemd at NOTIFY_SOCKET={where}: {exc.strerror or exc}") from None
