"""The registry of sources and the politeness settings: good rows load, a bad one is one line (exit 2)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT
from fazhi.collect import SAMPLE, Politeness, load
from ingest.errors import EXIT_USAGE, FazhiError


def test_the_sample_registry_loads():
    sources = load(SAMPLE)
    assert len(sources) >= 3
    assert all(s.url.startswith("https://") and s.code.isdigit() for s in sources)
    assert {s.pagination for s in sources} <= {"auto", "query", "none"}


@pytest.mark.parametrize("row, says", [
    ("ftp://x.gov.cn/a,500101,,,", "not a web address"),
    ("https://x.gov.cn/a,5001,,,", "not a division code"),
    ("https://x.gov.cn/a,500101,,sideways,", "pagination must be one of"),
    ("https://x.gov.cn/a,500101,,,(unclosed", "not a regular expression"),
])
def test_a_bad_row_is_named(tmp_path, row, says):
    reg = tmp_path / "r.csv"
    reg.write_text("url,code,name,pagination,title_pattern\n# a comment\n" + row + "\n", encoding="utf-8")
    with pytest.raises(FazhiError) as err:
        load(reg)
    assert says in str(err.value) and "r.csv row 3" in str(err.value) and err.value.code == EXIT_USAGE


def test_politeness_defaults_and_settings():
    p = Politeness.from_env(env={"FAZHI_COLLECT_CONTACT": "lab@example.edu"})
    assert (p.delay, p.max_delay, p.timeout, p.retries, p.backoff) == (1.0, 30.0, 30.0, 3, 2.0)
    assert p.max_bytes == 50 * 1024 * 1024
    assert p.user_agent.startswith("fazhi-collect/") and p.user_agent.endswith("(+lab@example.edu)")
    assert Politeness.from_env("https://lab.example.edu/crawl", env={"FAZHI_COLLECT_DELAY": "0.5"}).delay == 0.5
    for env, says in (({}, "--contact"), ({"FAZHI_COLLECT_CONTACT": "a b"}, "without spaces"),
                      ({"FAZHI_COLLECT_CONTACT": "x@y.z", "FAZHI_COLLECT_DELAY": "-1"}, "FAZHI_COLLECT_DELAY")):
        with pytest.raises(FazhiError, match=says):
            Politeness.from_env(env=env)


def _cli(*args, env=None):
    base = {k: v for k, v in os.environ.items() if k != "FAZHI_COLLECT_CONTACT"}
    return subprocess.run([sys.executable, "-m", "fazhi", "collect", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**base, **(env or {})}, timeout=60)


def test_command_line_mistakes_are_one_line(tmp_path):
    for args, env, says in (((), {}, "either --url"),
                            (("--url", "http://127.0.0.1:9/a.html", "--code", "500101"), {}, "--contact"),
                            (("--url", "http://127.0.0.1:9/a.html", "--code", "50"), {}, "not a division code")):
        run = _cli(*args, env=env)
        assert run.returncode == EXIT_USAGE, run.stderr
        assert says in run.stderr and "Traceback" not in run.stderr
        assert len(run.stderr.strip().splitlines()) <= 2
    run = _cli("--sources", "sample")
    assert run.returncode == 0 and "sources.sample.csv" in run.stderr
