"""Paraphrased shapes of the real-text dev set (tests/fixtures/realtext: issue 21's families),
scored by the conformance suite's own tool through the `fazhi parse` CLI, and the metadata cases
through the parser. The dev set itself is not in git; these cases keep its families in CI."""
import json
import re
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES

from ingest.parse.report import parse_bytes

SUITE = FIXTURES / "shared" / "tools" / "suite.py"
REALTEXT = FIXTURES / "realtext"


def test_realtext_families_pass_and_stored_figures_are_right():
    fazhi = Path(sys.executable).with_name("fazhi")
    run = subprocess.run([sys.executable, str(SUITE), "--suite", str(REALTEXT / "cases.jsonl"), "--fazhi", str(fazhi)],
                         capture_output=True, text=True)
    print(run.stdout)
    rate = float(re.search(r"pass rate ([\d.]+)", run.stdout).group(1))
    precision, recall = map(float, re.search(r"precision ([\d.]+)\s+recall ([\d.]+)", run.stdout).groups())
    # Measured 0.93 / 0.96 / 0.96 (vertical tables and listed places are the known gaps): a
    # regression in any family shows here before it shows on real pages.
    assert rate >= 0.88 and precision >= 0.93 and recall >= 0.9, run.stdout[-1500:]
    families = dict((name, (int(p), int(t))) for name, p, t in re.findall(r"^  (\w+)\s+(\d+)/(\d+)", run.stdout, re.M))
    for name in ("court", "lookalike", "parts_totals", "period", "phrasing", "plain"):
        passed, total = families[name]
        assert passed >= 0.85 * total, name


def test_realtext_metadata_cases():
    cases = [json.loads(line) for line in (REALTEXT / "metadata.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    right = {"jurisdiction": 0, "jurisdiction_code": 0, "issuer": 0}
    for case in cases:
        parsed = parse_bytes(case["text"].encode("utf-8"), f"{case['id']}.txt").as_json()
        got = {"jurisdiction": parsed["jurisdiction"]["name"], "jurisdiction_code": parsed["jurisdiction"]["code"],
               "issuer": parsed["issuer"]}
        for field in right:
            right[field] += got[field] == case[field]
    print(right, len(cases))
    # Measured 51-56 of 56 per field (issuer 51); each miss is listed in tests/fixtures/realtext/README.md.
    assert all(n >= 0.8 * len(cases) for n in right.values()), right
