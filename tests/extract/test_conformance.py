"""The extraction conformance suite (fixtures/shared/conformance, 317 cases in the style of real
reports from ten provinces), scored by its own tool through the `fazhi parse` CLI."""
import re
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES

SUITE = FIXTURES / "shared" / "tools" / "suite.py"
CASES = FIXTURES / "shared" / "conformance" / "extraction.jsonl"


def test_conformance_suite_passes_95_percent_and_every_category_80():
    fazhi = Path(sys.executable).with_name("fazhi")
    run = subprocess.run([sys.executable, str(SUITE), "--suite", str(CASES), "--fazhi", str(fazhi), "--min-pass", "0.95"],
                         capture_output=True, text=True)
    print(run.stdout)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    categories = re.findall(r"^  (\w+)\s+(\d+)/(\d+)", run.stdout, re.M)
    assert len(categories) == 17
    for name, passed, total in categories:
        assert int(passed) >= 0.8 * int(total), name
    precision, recall = map(float, re.search(r"precision ([\d.]+)\s+recall ([\d.]+)", run.stdout).groups())
    assert precision >= 0.95 and recall >= 0.95
