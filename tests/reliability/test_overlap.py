"""Writers and readers at once: dashboards while builds overlap, a reader holding the previous
marts, first runs started together, a second run waiting for the lock. Real CLI, real Postgres."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import create_engine, text

from conftest import ROOT, SEEDS
from fazhi.warehouse import engine
from fazhi.warehouse.config import sqlalchemy_url
from runs import fazhi

pytestmark = pytest.mark.db


DASHBOARD_QUERIES = [f"select count(*) from marts.{v}" for v in (
    "cmp_head_appearance_rate", "cmp_correction_rate", "cmp_loss_rate", "cmp_mediation_success_rate",
    "audit_rate_discrepancy", "indicator_panel", "fct_metric", "report_coverage")] + [
    f'select count(*) from marts_zh."{v}"' for v in ("出庭应诉率", "复议纠错率", "败诉率", "调解成功率")]


def test_dashboards_never_fail_while_two_builds_overlap(fresh_schema, database_url):
    from ingest.read import SAMPLES

    assert fazhi("build", str(SAMPLES), env={"DATABASE_URL": database_url}).returncode == 0
    stop, failures, done = threading.Event(), [], [0]
    dashboard = create_engine(sqlalchemy_url(database_url))

    def query_loop():
        while not stop.is_set():
            for sql in DASHBOARD_QUERIES:
                try:
                    with dashboard.connect() as conn:
                        conn.execute(text(sql)).scalar()
                    done[0] += 1
                except Exception as exc:  # counted, not raised: the assertion reports them all
                    failures.append(f"{sql}: {str(exc).splitlines()[0]}")

    loop = threading.Thread(target=query_loop)
    loop.start()
    env = {**os.environ, "DATABASE_URL": database_url}
    builds = [subprocess.Popen([sys.executable, "-m", "fazhi", "dbt", "build", "--quiet"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    codes = [b.wait() for b in builds]
    stop.set()
    loop.join()
    assert codes == [0, 0], [b.stderr.read()[-1000:] for b in builds]
    assert failures == [] and done[0] > 50
    with engine().connect() as conn:
        schemas = set(conn.execute(text("select nspname from pg_namespace where nspname like 'marts%' "
                                        "or nspname like '%\\_\\_next' or nspname like '%\\_\\_old'")).scalars())
        relations = dict(conn.execute(text("""select table_schema || ' ' || table_type, count(*)
                                              from information_schema.tables
                                              where table_schema in ('marts', 'marts_zh') group by 1""")).all())
    assert schemas == {"marts", "marts_zh"}
    # Comparisons, wide panel, coverage, audit, dimensions and the review pages' queue and build
    # info are tables; fct_metric, fct_measure and the long panel views (over core and the
    # chosen-value table); marts_zh views over the marts.
    assert relations == {"marts BASE TABLE": 11, "marts VIEW": 3, "marts_zh VIEW": 9}


def test_a_reader_holding_the_previous_marts_does_not_stall_the_builds(fresh_schema, database_url):
    """A dashboard that keeps a transaction open on the marts would make the drop of the previous
    set wait for it, the writer lock held all the while: the drop gives up, a later build drops it."""
    from ingest.read import SAMPLES

    env = {"DATABASE_URL": database_url}
    assert fazhi("build", str(SAMPLES), env=env).returncode == 0
    reader = create_engine(sqlalchemy_url(database_url)).connect()
    try:
        reader.execute(text("select count(*) from marts.cmp_correction_rate")).scalar()  # its transaction stays open
        held = fazhi("dbt", "build", "--quiet", env=env, timeout=180)
        assert held.returncode == 0, held.stderr[-1000:]
        with engine().connect() as conn:
            left = set(conn.execute(text("select nspname from pg_namespace where nspname like 'marts\\_\\_old%'")).scalars())
        assert left == {"marts__old"}, left         # kept for the reader, who still reads it
        assert reader.execute(text("select count(*) from marts.cmp_correction_rate")).scalar() > 0
    finally:
        reader.close()
    assert fazhi("dbt", "build", "--quiet", env=env, timeout=240).returncode == 0
    with engine().connect() as conn:
        assert conn.execute(text("select count(*) from pg_namespace where nspname like '%\\_\\_old%'")).scalar() == 0


def test_two_first_runs_on_a_fresh_database_both_succeed(database_url):
    """Cron and a user starting at once on an empty warehouse: one waits for the other."""
    from sqlalchemy.engine import make_url

    admin = create_engine(sqlalchemy_url(database_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("drop database if exists fazhi_twice"))
        conn.execute(text("create database fazhi_twice"))
    url = make_url(sqlalchemy_url(database_url)).set(database="fazhi_twice")
    env = {**os.environ, "DATABASE_URL": url.render_as_string(hide_password=False).replace("+psycopg", "")}
    runs = [subprocess.Popen([sys.executable, "-m", "fazhi", "build", "--no-dbt"], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    codes = [r.wait() for r in runs]
    errors = [r.stderr.read() for r in runs]
    assert codes == [0, 0, 0] and not any("Traceback" in e for e in errors), errors
    twice = create_engine(url)
    with twice.connect() as conn:
        assert conn.execute(text("select count(*) from core.report")).scalar() == len(SEEDS)
    twice.dispose()
    with admin.connect() as conn:
        conn.execute(text("drop database fazhi_twice"))


def test_a_second_run_waits_for_the_lock_or_says_busy(fresh_schema, database_url, tmp_path):
    from fazhi.warehouse.lock import warehouse_lock
    from ingest.errors import EXIT_BUSY

    env = {"DATABASE_URL": database_url}
    with warehouse_lock("test holder"):
        busy = fazhi("ingest", "--no-wait", str(SEEDS[0]), env=env)
        assert busy.returncode == EXIT_BUSY and "busy" in busy.stderr and "test holder" in busy.stderr
        waiting = subprocess.Popen([sys.executable, "-m", "fazhi", "ingest", str(SEEDS[0])], cwd=ROOT,
                                   env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        assert waiting.poll() is None  # still waiting while the lock is held
    assert waiting.wait(timeout=60) == 0
    assert "waiting for fazhi test holder" in waiting.stderr.read()
    with engine().connect() as conn:
        n = conn.execute(text("select count(*) from core.report where content_hash = :h"),
                         {"h": hashlib.sha256(SEEDS[0].read_bytes()).hexdigest()}).scalar()
    assert n == 1
