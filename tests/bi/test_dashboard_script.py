"""bi/superset/dashboard.py without Superset: the database URI the bundle gets (--db-uri or
FAZHI_SUPERSET_DB_URI, never a password in the ZIP), and --zip-only's ZIP as a real run."""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import zipfile

import pytest
import yaml

from conftest import ROOT

SCRIPT = ROOT / "bi" / "superset" / "dashboard.py"
_spec = importlib.util.spec_from_file_location("fazhi_dashboard_script", SCRIPT)
dashboard = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(dashboard)
MASK = dashboard.MASK


@pytest.mark.parametrize("given, expected", [
    ("postgresql://superset:pw@127.0.0.1:5433/fazhi", f"postgresql+psycopg2://superset:{MASK}@127.0.0.1:5433/fazhi"),
    ("postgresql://other:s3cret@db.example:6543/wh", f"postgresql+psycopg2://superset:{MASK}@db.example:6543/wh"),
    ("postgresql+psycopg2://superset@[::1]:5433/fazhi", f"postgresql+psycopg2://superset:{MASK}@[::1]:5433/fazhi"),
    ("postgresql://superset:pw@/fazhi?host=/home/a b/.fazhi/run&port=5432",
     f"postgresql+psycopg2://superset:{MASK}@/fazhi?host=%2Fhome%2Fa%20b%2F.fazhi%2Frun&port=5432"),
])
def test_db_uri_becomes_the_readers_masked_uri(given, expected):
    assert dashboard.superset_uri(given) == expected


@pytest.mark.parametrize("given", ["mysql://u@h/db", "postgresql://u@/fazhi", "postgresql://u@h:99999/fazhi"])
def test_bad_db_uri_is_refused_in_one_line(given):
    with pytest.raises(SystemExit, match="dashboard.py: --db-uri"):
        dashboard.superset_uri(given)


def _zip_only(tmp_path, *args: str, **env: str) -> tuple[subprocess.CompletedProcess, dict]:
    out = tmp_path / "bundle.zip"
    environ = {k: v for k, v in os.environ.items() if k != "FAZHI_SUPERSET_DB_URI"}
    run = subprocess.run([sys.executable, str(SCRIPT), "--zip-only", str(out), *args], capture_output=True, text=True,
                         env={**environ, **env}, timeout=60)
    files = {}
    if run.returncode == 0:
        with zipfile.ZipFile(out) as zf:
            files = {n: zf.read(n).decode() for n in zf.namelist()}
    return run, files


@pytest.mark.parametrize("how", ["option", "setting"])
def test_zip_only_takes_the_uri_it_is_given(tmp_path, how):
    uri = "postgresql://superset:Zip-Secret-1@127.0.0.1:6432/fazhi"
    run, files = (_zip_only(tmp_path, "--db-uri", uri) if how == "option"
                  else _zip_only(tmp_path, FAZHI_SUPERSET_DB_URI=uri))
    assert run.returncode == 0, run.stderr
    assert not any("Zip-Secret-1" in body for body in files.values())
    database = yaml.safe_load(files["fazhi_dashboard/databases/fazhi.yaml"])
    assert database["sqlalchemy_uri"] == f"postgresql+psycopg2://superset:{MASK}@127.0.0.1:6432/fazhi"
    charts = [yaml.safe_load(b) for n, b in files.items() if "/charts/" in n]
    assert len(charts) == 17 and all(json.loads(c["query_context"])["queries"] for c in charts)
    dashboards = {yaml.safe_load(b)["slug"] for n, b in files.items() if "/dashboards/" in n}
    assert dashboards == set(dashboard.DASHBOARDS) == {"fazhi", "fazhi-place"}


def test_zip_only_without_a_warehouse_or_uri_says_what_to_do(tmp_path):
    run, _ = _zip_only(tmp_path, "--fazhi-home", str(tmp_path / "none"))
    assert run.returncode == 1 and "no warehouse in" in run.stderr and "--db-uri" in run.stderr and "Traceback" not in run.stderr
