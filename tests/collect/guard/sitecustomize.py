"""The tests' network guard, loaded into every Python process the collect tests start (their
PYTHONPATH puts this folder first): each socket connection and name lookup is appended to the
file FAZHI_TEST_CONNECT_LOG, so a test fails when a crawl reaches anything but its local server."""
import os
import sys

_LOG = os.environ.get("FAZHI_TEST_CONNECT_LOG")


def _audit(event, args):
    if event == "socket.connect":
        address = args[1]
        if isinstance(address, tuple):
            _write(f"connect {address[0]} {address[1]}")
    elif event == "socket.getaddrinfo":
        _write(f"lookup {args[0]} {args[1]}")


def _write(line):
    with open(_LOG, "a", encoding="utf-8") as f:
        f.write(line + "\n")


if _LOG:
    sys.addaudithook(_audit)
