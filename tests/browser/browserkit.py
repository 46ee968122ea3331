"""What the browser tests share: the distribution's Chromium driven by Playwright (skipped with a
one-line reason when either is missing), the real `fazhi web` in a child process on a free port,
and a text selection inside the report made the way a reader makes one (a DOM Range)."""
from __future__ import annotations

import os
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

import pytest

from conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
# Headless, and nothing that talks to the internet: no QUIC, no component or safe-browsing updates, no sync.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "correct horse battery"
LIMIT = 120   # seconds any one CLI run may take


def need_browser():
    """The Playwright module, or the test skips with one line saying what is missing."""
    if not CHROMIUM.exists():
        pytest.skip(f"no {CHROMIUM}: the browser tests drive the distribution's Chromium (apt-get install chromium)")
    try:
        from playwright import sync_api
    except ImportError:
        pytest.skip("the playwright package is not installed (pip install -e '.[test]')")
    return sync_api


def fazhi(*args: str, input: str | None = None, timeout: float = LIMIT) -> subprocess.CompletedProcess:
    """The real CLI on the test warehouse (FAZHI_HOME or DATABASE_URL set by tests/conftest.py)."""
    run = subprocess.run([sys.executable, "-m", "fazhi", *args], cwd=ROOT, capture_output=True, text=True,
                         input=input, env=_env(), timeout=timeout)
    assert "Traceback" not in run.stdout + run.stderr, run.stderr[-2000:]
    return run


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
            "PYTHONWARNINGS": "ignore"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebServer:
    """`fazhi web --port P` as a child process; `url` once /login answers."""

    def __init__(self, *extra: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen([sys.executable, "-m", "fazhi", "web", "--port", str(self.port), *extra],
                                     cwd=ROOT, env=_env(), stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise AssertionError(f"fazhi web exited with {self.proc.returncode}: {self.output()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/login", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"fazhi web did not answer within 60 s: {self.output()[-2000:]}")
            time.sleep(0.2)

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.log.close()


def launch(playwright, **context):
    """One Chromium with a fresh profile of its own (removed by `close`)."""
    profile = tempfile.mkdtemp(prefix="fazhi-chromium-")
    ctx = playwright.chromium.launch_persistent_context(
        profile, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
        viewport=context.pop("viewport", {"width": 1400, "height": 900}), **context)
    ctx.set_default_timeout(15_000)   # a broken page fails in seconds, not after 30 s per step
    original = ctx.close

    def close():
        original()
        shutil.rmtree(profile, ignore_errors=True)
    ctx.close = close
    return ctx


def login(page, base: str, name: str = "alice", password: str = PASSWORD) -> None:
    """Log in with the keyboard: name, Tab, password, Enter."""
    page.goto(f"{base}/login")
    page.focus("#login-name")
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/queue")


# Selects `passage` inside #report-text as a reader's drag would: a Range from the text node and
# offset where it starts to where it ends, across the highlights' element boundaries.
SELECT_JS = """passage => {
  const root = document.getElementById('report-text');
  const nodes = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let n, all = '';
  while ((n = walker.nextNode())) { nodes.push([n, all.length]); all += n.data; }
  const at = all.indexOf(passage);
  if (at < 0) return false;
  const locate = pos => { for (const [node, base] of nodes) if (pos <= base + node.data.length) return [node, pos - base]; };
  const range = document.createRange();
  range.setStart(...locate(at));
  range.setEnd(...locate(at + passage.length));
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
  return sel.toString();
}"""


def select_passage(page, passage: str) -> str:
    return page.evaluate(SELECT_JS, passage)
