"""Shared fixtures. Tests that need Postgres get a private embedded server in a temp folder,
never the user's `.fazhi` data or a DATABASE_URL they have set."""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import warnings
from pathlib import Path

import pytest

warnings.filterwarnings("ignore", module="platformdirs")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "ingest" / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = sorted(SAMPLES.glob("*.txt"))

# Decide before fazhi.warehouse.config is imported anywhere: tests own their database.
_TEST_URL = os.environ.get("FAZHI_TEST_DATABASE_URL")
os.environ.pop("DATABASE_URL", None)
if _TEST_URL:
    os.environ["DATABASE_URL"] = _TEST_URL
else:
    os.environ["FAZHI_HOME"] = tempfile.mkdtemp(prefix="fazhi-test-")
    # Runs without a database test leave the folder empty; the server fixture removes its own.
    atexit.register(shutil.rmtree, os.environ["FAZHI_HOME"], True)


def deny_listing(monkeypatch, folder: Path) -> None:
    """The operating system's refusal to list `folder`, stood in for: root (these tests' usual
    user) reads any folder whatever its mode."""
    from ingest.read import files

    real = files.os.scandir

    def scandir(path):
        if os.fspath(path) == str(folder):
            raise PermissionError(13, "Permission denied")
        return real(path)
    monkeypatch.setattr(files.os, "scandir", scandir)


def seed_text(name_prefix: str) -> str:
    path = next(p for p in SEEDS if p.name.startswith(name_prefix))
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def database_url():
    from fazhi.warehouse.config import database_url as url, fazhi_home, stop_embedded

    value = url()
    yield value
    if not _TEST_URL:
        stop_embedded()
        shutil.rmtree(fazhi_home(), ignore_errors=True)


def reset_database() -> None:
    """Drop everything fazhi owns, then migrate to head."""
    from sqlalchemy import text

    from fazhi.warehouse import engine, migrate

    with engine().begin() as conn:
        for schema in ("marts_zh", "marts", "intermediate", "staging", "per_report", "core"):
            conn.execute(text(f"drop schema if exists {schema} cascade"))
    migrate()


@pytest.fixture(scope="module")
def fresh_schema(database_url):
    reset_database()
    return database_url
