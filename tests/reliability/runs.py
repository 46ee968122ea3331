"""How the reliability tests run fazhi: the real CLI in a child process, on the test warehouse,
never longer than a time limit (a hang is a failure, not a stuck suite)."""
from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT

LIMIT = 120  # seconds any one CLI run in these tests may take


def fazhi(*args: str, env: dict | None = None, timeout: float = LIMIT, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fazhi", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=timeout, **kw)


def no_traceback(run: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in run.stderr + run.stdout, run.stderr[-2000:]
