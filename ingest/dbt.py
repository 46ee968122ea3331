"""Run dbt on the project's dbt/ folder against the one database setting.

`build_marts` never takes the marts away from readers: dbt builds every schema it owns under a
`__next` name, and only a build that succeeded is swapped in, by renaming the schemas in one short
transaction. Views keep pointing at the objects they were built on (Postgres binds them by oid),
so the swapped-in set is consistent; queries already running finish on the old set, which is
dropped afterwards.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from .config import PROJECT_ROOT, dbt_env

DBT_DIR = PROJECT_ROOT / "dbt"
DBT_SCHEMAS = ("staging", "intermediate", "marts", "marts_zh")
NEXT, OLD = "__next", "__old"
# dbt flags that build only part of the graph: those runs cannot be swapped in as a whole.
PARTIAL = ("-s", "--select", "--exclude", "--selector", "-m", "--models", "--resource-type",
           "--resource-types", "--exclude-resource-type")


def dbt_executable() -> str:
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


def run_dbt(args: list[str], quiet: bool = False) -> int:
    """dbt as asked, in place (docs, tests, selections)."""
    cmd = [dbt_executable(), *args, "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR)]
    out = subprocess.DEVNULL if quiet else None
    return subprocess.run(cmd, env=dbt_env(), cwd=DBT_DIR, stdout=out).returncode


def is_whole_build(args: list[str]) -> bool:
    """`build` or `run` of the whole project: what build_marts can build aside and swap in."""
    return bool(args) and args[0] in ("build", "run") and not any(
        a == flag or a.startswith(flag + "=") for a in args[1:] for flag in PARTIAL)


def build_marts(args: list[str] | None = None, quiet: bool = False) -> int:
    """`dbt build` (or `run`) into the __next schemas, then swap them in. Returns dbt's exit code;
    on failure the previous marts stay as they were. Callers hold the warehouse lock."""
    args = list(args or ["build"])
    from .load import engine

    with engine().begin() as conn:
        _drop(conn, NEXT)  # a build that was killed leaves its half-built schemas behind
    code = run_dbt([*args, "--vars", json.dumps({"schema_suffix": NEXT})], quiet=quiet)
    if code == 0:
        swap()
    else:
        with engine().begin() as conn:
            _drop(conn, NEXT)
    return code


def _drop(conn, suffix: str) -> None:
    for schema in DBT_SCHEMAS:
        conn.execute(text(f'drop schema if exists "{schema}{suffix}" cascade'))


def swap() -> None:
    from .load import engine
    from .roles import carry_grants

    with engine().begin() as conn:
        _drop(conn, OLD)
        for schema in DBT_SCHEMAS:
            carry_grants(conn, schema, schema + NEXT)
        present = {r[0] for r in conn.execute(text("select nspname from pg_namespace"))}
        for schema in DBT_SCHEMAS:
            if schema in present:
                conn.execute(text(f'alter schema "{schema}" rename to "{schema}{OLD}"'))
            conn.execute(text(f'alter schema "{schema}{NEXT}" rename to "{schema}"'))
    # Separately: dropping waits for queries still reading the old set, and must not hold the
    # renames back while it waits.
    with engine().begin() as conn:
        _drop(conn, OLD)
