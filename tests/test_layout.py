"""The layout is a contract: each step of ingest imports only the steps before it, ingest knows
nothing of the fazhi package, and no package has an import cycle (pyproject.toml,
[tool.importlinter]; ARCHITECTURE.md). Checked by import-linter on the source, as CI runs it."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

LINT = Path(sys.executable).with_name("lint-imports")


def lint(root: Path) -> subprocess.CompletedProcess:
    # PYTHONPATH first: the checkout at `root` is the one analysed, not the installed one.
    return subprocess.run([str(LINT), "--no-cache"], cwd=root, capture_output=True, text=True,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})


def test_the_layout_contracts_hold():
    run = lint(ROOT)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "6 kept, 0 broken" in run.stdout


@pytest.fixture
def copy(tmp_path):
    """The packages' source and the contract, to break on purpose."""
    for package in ("ingest", "fazhi"):
        shutil.copytree(ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.csv", "*.txt", "*.yaml"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


@pytest.mark.parametrize("module, line, broken", [
    ("ingest/read/files.py", "from ingest.load import ingest_paths", "ingest.read is not allowed to import ingest.load"),
    ("ingest/parse/report.py", "from ingest.load.models import Report", "ingest.parse is not allowed to import ingest.load"),
    ("ingest/extract/match.py", "from ingest.read import read_bytes", "ingest.extract is not allowed to import ingest.read"),
    ("ingest/load/batch.py", "from fazhi.warehouse import engine", "ingest is not allowed to import fazhi"),
    ("fazhi/warehouse/lock.py", "from fazhi.cli.app import console", "fazhi.warehouse is not allowed to import fazhi.cli"),
    ("ingest/parse/measures.py", "from .tagging import tag", "No cycles are allowed in ingest.parse"),
    ("fazhi/collect/store.py", "from fazhi.warehouse.config import fazhi_home", "fazhi.collect is not allowed to import fazhi.warehouse"),
    ("fazhi/collect/pages.py", "from fazhi.cli.app import console", "fazhi.collect is not allowed to import fazhi.cli"),
    ("ingest/read/origin.py", "from fazhi.collect import store", "ingest is not allowed to import fazhi"),
])
def test_an_upward_import_or_a_cycle_breaks_the_contract(copy, module, line, broken):
    path = copy / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # injected\n", encoding="utf-8")
    run = lint(copy)
    assert run.returncode == 1, run.stdout[-3000:]
    assert broken in " ".join(run.stdout.split()), run.stdout[-3000:]
