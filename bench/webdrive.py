"""What bench/web_screens.py and bench/bench_web.py share: the real `fazhi web` in a child process
on the warehouse of the environment (FAZHI_HOME or DATABASE_URL), a reviewer for it, and the
distribution's Chromium driven by Playwright (never `playwright install`)."""
from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def env() -> dict:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
            "PYTHONWARNINGS": "ignore"}


def fazhi(*args: str, input: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    run = subprocess.run([sys.executable, "-m", "fazhi", *args], cwd=ROOT, capture_output=True, text=True,
                         input=input, env=env())
    if check and run.returncode != 0:
        raise SystemExit(f"fazhi {' '.join(args)} failed ({run.returncode}): {run.stderr.strip()[-500:]}")
    return run


def add_reviewer(name: str) -> str:
    """A reviewer with a fresh password (through `fazhi web --add-reviewer NAME --password-stdin`)."""
    password = secrets.token_urlsafe(12)
    fazhi("web", "--add-reviewer", name, "--password-stdin", input=password + "\n")
    return password


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`fazhi web --port P` in a child process of its own session; `url` once /login answers."""

    def __init__(self, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(log, "w")
        self.proc = subprocess.Popen([sys.executable, "-m", "fazhi", "web", "--port", str(self.port)], cwd=ROOT,
                                     env=env(), stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 120
        while True:
            if self.proc.poll() is not None:
                raise SystemExit(f"fazhi web exited with {self.proc.returncode}; see {log}")
            try:
                with urllib.request.urlopen(f"{self.url}/login", timeout=2):
                    return
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline:
                    self.stop()
                    raise SystemExit(f"fazhi web did not answer in 120 s; see {log}") from None
                time.sleep(0.3)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class Browser:
    """The distribution's Chromium with a fresh profile, removed on exit."""

    def __init__(self, viewport=(1400, 900)):
        if not Path(CHROMIUM).exists():
            raise SystemExit(f"no {CHROMIUM}: install the distribution's chromium (apt-get install chromium)")
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            raise SystemExit("the playwright package is missing: pip install -e '.[test]'") from None
        self.profile = tempfile.mkdtemp(prefix="fazhi-chromium-")
        self.pw = sync_playwright().start()
        self.context = self.pw.chromium.launch_persistent_context(
            self.profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": viewport[0], "height": viewport[1]})

    def login(self, base: str, name: str, password: str):
        page = self.context.new_page()
        page.goto(f"{base}/login")
        page.fill("#login-name", name)
        page.fill("#login-password", password)
        with page.expect_navigation():
            page.press("#login-password", "Enter")
        if page.evaluate("document.body.dataset.page") != "queue":
            raise SystemExit(f"login as {name} failed")
        return page

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.context.close()
        self.pw.stop()
        shutil.rmtree(self.profile, ignore_errors=True)
