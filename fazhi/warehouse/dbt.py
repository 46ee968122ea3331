"""Run dbt on the project's dbt/ folder against the one database setting.

`build_marts` never takes the marts away from readers, and does not rebuild what new reports
cannot change:

- **Built aside and swapped in**: staging, intermediate, marts and marts_zh are built under a
  `__next` name; only a build that succeeded is swapped in, by renaming the schemas in one short
  transaction. Views keep pointing at the objects they were built on (Postgres binds them by
  oid), so the swapped-in set is consistent; queries already running finish on the old set,
  which is dropped afterwards. These are views over core, and tables of one row per place-year
  or per report (comparisons, panel, ranks, year-on-year changes, coverage): small, and changed
  by any new report, so rebuilt whole.
- **Updated in place**: the `per_report` schema holds incremental tables with one row per report
  (x indicator): the large per-report work (figures chosen per report, rate checks, counts). A
  report's core rows never change once loaded (a new version of a document is a new report), so
  an incremental build only adds the reports they have not seen and deletes the rows of reports
  deleted since (dbt's incremental materialisation: one transaction per model, so a reader of
  those tables sees the old or the new rows, never none). Readers never read `per_report`
  directly: the marts are copies (tables) built from it.
- **Full build**: when `per_report` is missing, or what its tables depend on besides the reports
  changed (the indicator catalogue: plausible ranges, kinds, core flags; the SQL of the models
  and macros; core.report recreated or truncated, so ids start again; the confidence threshold,
  dbt var `min_confidence`, which decides the figures each report's values are chosen from), or
  `--full-refresh` is asked for, `per_report` is built aside too and swapped in
  with the rest. The fingerprint of those inputs is kept as the comment on the `per_report`
  schema, written in the swap that installs a full build.

The threshold of a run: `fazhi build --min-confidence`, else `--vars '{min_confidence: X}'` given
to `fazhi dbt`, else FAZHI_MIN_CONFIDENCE (config.py), else the default in dbt_project.yml. It is
always passed to dbt explicitly, in the one `--vars` fazhi gives it (dbt reads only the last).
A selection run in place (`fazhi dbt run --select ...`) with another threshold than the last full
build would add per_report rows by that threshold: change it on a whole build instead.

A failed build leaves the previous marts as they were (the `__next` schemas are dropped); an
incremental table it had already updated holds correct rows for the reports loaded, and the next
build carries on from there.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import yaml
from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError

from ingest.children import die_with_parent
from ingest.errors import EXIT_USAGE, FazhiError

from . import config
from .config import PROJECT_ROOT, dbt_env
from .database import engine
from .roles import carry_grants

DBT_DIR = PROJECT_ROOT / "dbt"
DBT_SCHEMAS = ("staging", "intermediate", "marts", "marts_zh")   # always built aside
PER_REPORT = "per_report"                                          # in place, but on a full build
ALL_SCHEMAS = (*DBT_SCHEMAS, PER_REPORT)
NEXT, OLD = "__next", "__old"
DBT_WORK_MEM = "64MB"   # per sort or hash of a dbt query; dbt runs 2 at a time (profiles.yml)
FINGERPRINT_PREFIX = "fazhi per_report inputs "
# What per_report's tables depend on besides the reports: the SQL that builds them.
FINGERPRINT_FILES = ("dbt_project.yml", "macros", "models/intermediate/per_report", "models/staging")
# dbt flags that build only part of the graph: those runs cannot be swapped in as a whole.
PARTIAL = ("-s", "--select", "--exclude", "--selector", "-m", "--models", "--resource-type",
           "--resource-types", "--exclude-resource-type")


def dbt_executable() -> str:
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


def split_vars(args: list[str]) -> tuple[list[str], dict]:
    """dbt's arguments without `--vars`, and the variables given there (YAML, as dbt reads it)."""
    rest: list[str] = []
    given: dict = {}
    items = iter(args)
    for arg in items:
        if arg == "--vars":
            raw = next(items, "")
        elif arg.startswith("--vars="):
            raw = arg.split("=", 1)[1]
        else:
            rest.append(arg)
            continue
        try:
            loaded = yaml.safe_load(raw) or {}
        except yaml.YAMLError:
            loaded = None
        if not isinstance(loaded, dict):
            raise FazhiError(f"--vars must be a YAML mapping such as '{{min_confidence: 0.8}}', got {raw!r}", EXIT_USAGE)
        given.update(loaded)
    return rest, given


def project_min_confidence() -> float:
    """The default threshold, as dbt_project.yml documents it."""
    return float(yaml.safe_load((DBT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]["min_confidence"])


def min_confidence(given: dict | None = None, explicit: float | None = None) -> float:
    """The confidence threshold of a run (see the module's docstring for the order)."""
    given = given or {}
    for value, where in ((explicit, "--min-confidence"), (given.get("min_confidence"), "--vars min_confidence"),
                         (config.min_confidence(), "FAZHI_MIN_CONFIDENCE")):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise FazhiError(f"{where} must be a number from 0 to 1, got {value!r}", EXIT_USAGE)
        return float(value)
    return project_min_confidence()


def run_dbt(args: list[str], quiet: bool = False, variables: dict | None = None) -> int:
    """dbt as asked, in place (docs, tests, selections), with the warehouse's confidence threshold
    and `variables` merged into the one --vars dbt reads."""
    args, given = split_vars(args)
    if args and not args[0].startswith("-"):   # a subcommand (not --version): it takes --vars
        merged = {**given, **(variables or {})}
        merged.setdefault("min_confidence", min_confidence(given))
        args = [*args, "--vars", json.dumps(merged)]
    cmd = [dbt_executable(), *args, "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR)]
    out = subprocess.DEVNULL if quiet else None
    env = dbt_env()
    # Grain tests group millions of rows at national scale: with Postgres' default 4 MB they
    # spill to disk and take seconds longer. dbt's sessions only; the server is untouched.
    env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} -c work_mem={DBT_WORK_MEM}".strip()
    # dbt dies with fazhi: a dbt outliving a killed build would go on writing the marts after the
    # warehouse lock was released with fazhi's connection, beside the next build.
    return subprocess.run(cmd, env=env, cwd=DBT_DIR, stdout=out,
                          preexec_fn=die_with_parent(signal.SIGKILL)).returncode


def is_whole_build(args: list[str]) -> bool:
    """`build` or `run` of the whole project: what build_marts can build aside and swap in."""
    return bool(args) and args[0] in ("build", "run") and not any(
        a == flag or a.startswith(flag + "=") for a in args[1:] for flag in PARTIAL)


def fingerprint(conn: Connection) -> str:
    """Hash of everything per_report's rows depend on besides the reports themselves: the SQL of
    its models, the catalogue, and which core.report table the report ids belong to. (The
    confidence threshold is kept beside it in the mark, in the clear: see mark().)"""
    digest = hashlib.sha256()
    for name in FINGERPRINT_FILES:
        path = DBT_DIR / name
        for f in sorted(path.rglob("*") if path.is_dir() else [path]):
            if f.is_file():
                digest.update(str(f.relative_to(DBT_DIR)).encode() + b"\0" + f.read_bytes())
    catalogue = conn.execute(text("select string_agg(i::text, '|' order by code) from core.indicator i")).scalar()
    digest.update((catalogue or "").encode())
    # core.report recreated or truncated (a reset warehouse): report ids start again, so rows
    # kept for an old id would pass for the new report's. Its file node changes then.
    digest.update(str(conn.execute(text("select pg_relation_filenode('core.report')")).scalar()).encode())
    return digest.hexdigest()


THRESHOLD_MARK = " min_confidence "


def mark(conn: Connection, threshold: float) -> str:
    """The comment of a per_report schema built from these inputs with this threshold."""
    return f"{FINGERPRINT_PREFIX}{fingerprint(conn)}{THRESHOLD_MARK}{threshold!r}"


def full_build_reason(conn: Connection, args: list[str], threshold: float | None = None) -> str | None:
    """Why per_report must be rebuilt from scratch on this build, or None: incremental.
    `threshold`: the run's min_confidence (default: as `args` and the settings give it)."""
    if "--full-refresh" in args:
        return "--full-refresh"
    if threshold is None:
        threshold = min_confidence(split_vars(args)[1])
    stored = conn.execute(text("select obj_description(oid, 'pg_namespace') from pg_namespace "
                               "where nspname = :s"), {"s": PER_REPORT}).first()
    if stored is None:
        return "first build"
    current = mark(conn, threshold)
    if stored[0] == current:
        return None
    inputs, _, before = (stored[0] or "").partition(THRESHOLD_MARK)
    if inputs == current.partition(THRESHOLD_MARK)[0]:
        return f"confidence threshold changed ({before} -> {threshold!r})"
    return "indicator catalogue, per-report models or core.report changed"


def check_in_place_threshold(args: list[str]) -> None:
    """A selection run in place writes per_report rows by its threshold: refuse one that differs
    from the threshold per_report was built with, which a whole build changes consistently."""
    with engine().connect() as conn:
        stored = conn.execute(text("select obj_description(oid, 'pg_namespace') from pg_namespace "
                                   "where nspname = :s"), {"s": PER_REPORT}).scalar()
    built_with = (stored or "").partition(THRESHOLD_MARK)[2]
    wanted = min_confidence(split_vars(args)[1])
    if built_with and float(built_with) != wanted:
        raise FazhiError(f"the per-report tables were built with min_confidence {built_with}, this run asks for "
                         f"{wanted!r}: change the threshold on a whole build (fazhi dbt build, without a selection)",
                         EXIT_USAGE)


def reports_removed(conn: Connection) -> bool:
    """Whether a report per_report holds rows of was deleted from core since (one row per report
    in int_report_counts: a quick anti-join, where each table's own check would read millions)."""
    return bool(conn.execute(text(f"""
        select exists (select 1 from {PER_REPORT}.int_report_counts c
                       where not exists (select 1 from core.report r where r.report_id = c.report_id))""")).scalar())


# What dbt reads of core (dbt/models/staging/_sources.yml).
ANALYZED_CORE_TABLES = ("report", "report_source", "measure", "metric", "jurisdiction", "indicator", "correction")


def build_marts(args: list[str] | None = None, quiet: bool = False, threshold: float | None = None) -> int:
    """`dbt build` (or `run`): per_report updated in place (or, on a full build, built aside), the
    other schemas built aside; then swap them in. Returns dbt's exit code; on failure the
    previous marts stay as they were. `threshold`: min_confidence for this build (else as the
    arguments and settings give it). Callers hold the warehouse lock."""
    args, given = split_vars(list(args or ["build"]))
    threshold = min_confidence(given, threshold)
    with engine().begin() as conn:
        # Just after a large load the core tables have no statistics until autovacuum comes by,
        # and dbt's models would be planned blind (minutes instead of seconds at 10,000 reports).
        conn.execute(text(f"analyze {', '.join(f'core.{t}' for t in ANALYZED_CORE_TABLES)}"))
        _drop(conn, NEXT)  # a build that was killed leaves its half-built schemas behind
        reason = full_build_reason(conn, args, threshold)
        # Computed before dbt runs: what this build is built from.
        per_report_mark = mark(conn, threshold) if reason else None
        removed = not reason and reports_removed(conn)
    schemas = ALL_SCHEMAS if reason else DBT_SCHEMAS
    variables = {"min_confidence": threshold, "schema_suffix": NEXT,
                 "in_place_schemas": [] if reason else [PER_REPORT], "reports_removed": removed}
    if not quiet and reason:
        print(f"full build of the per-report tables ({reason})", file=sys.stderr)
    dbt_args = [a for a in args if a != "--full-refresh"]  # the __next schemas start empty anyway
    code = run_dbt(dbt_args, quiet=quiet, variables={**given, **variables})
    if code == 0:
        swap(schemas, per_report_mark)
    else:
        with engine().begin() as conn:
            _drop(conn, NEXT)
    return code


def _drop(conn, suffix: str) -> None:
    for schema in ALL_SCHEMAS:
        conn.execute(text(f'drop schema if exists "{schema}{suffix}" cascade'))


def swap(schemas: tuple[str, ...] = DBT_SCHEMAS, per_report_mark: str | None = None) -> None:
    """Rename <schema>__next to <schema> for `schemas`, in one transaction, grants carried over.
    `per_report_mark`: the fingerprint comment of a per_report built aside."""
    with engine().begin() as conn:
        _retire(conn)
        for schema in schemas:
            carry_grants(conn, schema, schema + NEXT)
        if per_report_mark and PER_REPORT in schemas:
            # COMMENT takes no bind parameters; the mark is a fixed prefix and a hex digest.
            conn.execute(text(f"comment on schema \"{PER_REPORT}{NEXT}\" is '{per_report_mark}'"))
        present = {r[0] for r in conn.execute(text("select nspname from pg_namespace"))}
        for schema in schemas:
            if schema in present:
                conn.execute(text(f'alter schema "{schema}" rename to "{schema}{OLD}"'))
            conn.execute(text(f'alter schema "{schema}{NEXT}" rename to "{schema}"'))
    # Separately: dropping waits for queries still reading the old set, and must not hold the
    # renames back while it waits.
    drop_retired()


# A reader's open transaction holds the previous marts; waiting on it would let any dashboard
# stall the writers, so the drop gives up after this and the next build tries again.
RETIRED_DROP_WAIT = "3s"


def _retire(conn: Connection) -> None:
    """Move a previous set the last drop had to leave (a reader held it) out of the way: renaming
    a schema does not wait for its readers, dropping it does."""
    present = {r[0] for r in conn.execute(text("select nspname from pg_namespace"))}
    for schema in ALL_SCHEMAS:
        if schema + OLD in present:
            taken = [name.rsplit("_", 1)[1] for name in present if name.startswith(f"{schema}{OLD}_")]
            n = 1 + max((int(t) for t in taken if t.isdigit()), default=0)
            conn.execute(text(f'alter schema "{schema}{OLD}" rename to "{schema}{OLD}_{n}"'))


def drop_retired() -> list[str]:
    """Drop the previous sets no one reads any more, each in its own transaction; those a reader
    still holds stay until a later build. Returns the schemas left."""
    left = []
    with engine().connect() as conn:
        names = [name for (name,) in conn.execute(text("select nspname from pg_namespace order by 1"))
                 if OLD in name and name.split(OLD)[0] in ALL_SCHEMAS]
    for name in names:
        try:
            with engine().begin() as conn:
                conn.execute(text(f"set local lock_timeout = '{RETIRED_DROP_WAIT}'"))
                conn.execute(text(f'drop schema if exists "{name}" cascade'))
        except OperationalError as exc:
            if getattr(exc.orig, "sqlstate", None) != "55P03":  # lock_not_available: a reader holds it
                raise
            left.append(name)
    return left
