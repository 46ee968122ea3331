"""Small files that unpack or render to gigabytes (tests/bombs.py) are refused, one line each, in a
batch that goes on: a 1.4 MB .docx of 400 MB XML, a zip that lies about its sizes, a table cell filled
down or spread over thousands of cells, a PDF whose page content is a Flate bomb, and plain text
over the text limit. The run's peak memory and time show the refusal came while unpacking, not
after the whole file was unpacked or at the end of the time budget."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from sqlalchemy import text

from bombs import docx_bomb, flate_pdf, liar_docx, merge_docx, span_html
from conftest import ROOT, SEEDS
from docxgen import seed_docx
from fazhi.warehouse import engine
from ingest.errors import EXIT_FILES_FAILED
from runs import LIMIT, no_traceback

pytestmark = pytest.mark.db

BOMB_MB = 400

# Runs fazhi and prints, as its last line, its peak resident memory (the largest process of its
# tree) in MB: measured in a process of its own, so no earlier child counts.
_MEASURE = """
import json, os, resource, subprocess, sys, time
t = time.perf_counter()
run = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=float(os.environ["LIMIT"]))
print(run.stdout); print(run.stderr, file=sys.stderr)
print(json.dumps({"rc": run.returncode, "seconds": time.perf_counter() - t,
                  "rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def measured_fazhi(*args: str, env: dict) -> tuple[subprocess.CompletedProcess, dict]:
    run = subprocess.run([sys.executable, "-c", _MEASURE, sys.executable, "-m", "fazhi", *args], cwd=ROOT,
                         capture_output=True, text=True, env={**os.environ, "LIMIT": str(LIMIT), **env},
                         timeout=LIMIT + 30, check=False)
    lines = run.stdout.rstrip("\n").split("\n")
    return subprocess.CompletedProcess(run.args, run.returncode, "\n".join(lines[:-1]), run.stderr), \
        json.loads(lines[-1])


def long_text() -> bytes:
    """3 million characters (3.4 MB): under the file limit of the run, over its text limit."""
    return (SEEDS[0].read_text(encoding="utf-8") + ("全县办理行政复议案件12件。" + "x" * 90 + "\n") * 30_000).encode()


CASES = {   # name -> (bytes, part of the recorded reason)
    "bomb.docx": (lambda: docx_bomb(BOMB_MB), "too large when unpacked: more than 10 MB (set FAZHI_MAX_INFLATED_MB)"),
    "liar.docx": (lambda: liar_docx(50), "damaged Word document: cannot unpack word/document.xml"),
    "merge.docx": (lambda: merge_docx(200), "too much text: more than 2 MB of text (set FAZHI_MAX_TEXT_MB)"),
    "span.html": (lambda: span_html(8), "too much text: more than 2 MB of text"),
    "flate.pdf": (lambda: flate_pdf(BOMB_MB), "too large when unpacked: more than 10 MB"),
    "long.txt": (long_text, "too much text: more than 2 MB of text"),
}
ENV = {"FAZHI_MAX_FILE_MB": "5", "FAZHI_MAX_TEXT_MB": "2", "FAZHI_FILE_SECONDS": "600", "COLUMNS": "200"}


@pytest.fixture(scope="module")
def batch(fresh_schema, database_url, tmp_path_factory):
    folder = tmp_path_factory.mktemp("bombs")
    for name, (build, _) in CASES.items():
        (folder / name).write_bytes(build())
    (folder / "report.docx").write_bytes(seed_docx(SEEDS[1].read_text(encoding="utf-8")))
    (folder / "report.txt").write_bytes(SEEDS[2].read_bytes())
    run, used = measured_fazhi("ingest", "-j", "1", str(folder), env={"DATABASE_URL": database_url, **ENV})
    return folder, run, used


def test_each_bomb_is_refused_in_one_line_and_the_batch_goes_on(batch):
    folder, run, used = batch
    no_traceback(run)
    assert used["rc"] == EXIT_FILES_FAILED, run.stderr[-2000:]
    with engine().connect() as conn:
        failures = dict(conn.execute(text("select source_path, reason from core.ingest_failure")).all())
        loaded = set(conn.execute(text("select source_path from core.report_source")).scalars())
    assert {str(folder / "report.docx"), str(folder / "report.txt")} <= loaded
    for name, (build, reason) in CASES.items():
        assert len(build()) < 5 * 2**20, name                  # each is within the file size limit
        got = failures.get(str(folder / name), "")
        assert reason in got and "\n" not in got, (name, got)


def test_the_bombs_are_refused_while_unpacking_not_after(batch):
    _, _, used = batch
    # Unpacked whole, the 400 MB bombs would take more than that in memory; parsed to the end, minutes.
    assert used["rss_mb"] < 450, used
    assert used["seconds"] < 100, used
