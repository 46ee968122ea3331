"""Run dbt on the project's dbt/ folder against the one database setting."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .config import PROJECT_ROOT, dbt_env

DBT_DIR = PROJECT_ROOT / "dbt"


def dbt_executable() -> str:
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


def run_dbt(args: list[str], quiet: bool = False) -> int:
    cmd = [dbt_executable(), *args, "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR)]
    out = subprocess.DEVNULL if quiet else None
    return subprocess.run(cmd, env=dbt_env(), cwd=DBT_DIR, stdout=out).returncode
