"""Input limits and inputs shaped to be slow: a file too large, a parse over its time budget,
markup nested tens of thousands deep (run-on text: extract/test_long_inputs.py). Speed itself is
measured in bench/, not here: these tests pin what each input yields."""
import signal
import subprocess
import sys
import threading
import time

import pytest

from conftest import SEEDS, seed_text
from ingest.errors import FazhiError
from ingest.parse import parse_bytes, parse_file
from ingest.read import FileTimeout, Limits, UnreadableFile, time_budget


@pytest.fixture
def seed_file(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(seed_text("000"), encoding="utf-8")
    return path


# ---- size ---------------------------------------------------------------------------------

def test_a_file_over_the_size_limit_is_refused_before_it_is_read(seed_file, monkeypatch):
    monkeypatch.setenv("FAZHI_MAX_FILE_MB", "0.005")   # 5 KB; the seed has 10 KB

    def no_read(*args):
        raise AssertionError("the file was read")
    monkeypatch.setattr("ingest.read.document._read_capped", no_read)
    with pytest.raises(UnreadableFile) as exc:
        parse_file(seed_file)
    assert str(exc.value) == f"too large: {seed_file.stat().st_size} bytes (limit 0.005 MB, set FAZHI_MAX_FILE_MB)"


def test_the_size_in_the_reason_is_in_mb(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(seed_text("001").encode("utf-8") * 30)   # about 0.33 MB
    with pytest.raises(UnreadableFile, match=r"^too large: 0\.3 MB \(limit 0\.25 MB, set FAZHI_MAX_FILE_MB\)$"):
        parse_file(big, limits=Limits(max_file_mb=0.25))


def test_a_file_at_the_limit_is_read(seed_file):
    parsed = parse_file(seed_file, limits=Limits(max_file_mb=seed_file.stat().st_size / 2**20))
    assert parsed.meta.report_year == 2023 and parsed.metrics


@pytest.mark.parametrize("name, value", [("FAZHI_MAX_FILE_MB", "fifty"), ("FAZHI_FILE_SECONDS", "0"),
                                         ("FAZHI_FILE_SECONDS", "-5")])
def test_a_limit_that_is_no_positive_number_is_a_usage_error(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(FazhiError, match=name) as exc:
        Limits.from_env()
    assert exc.value.code == 2


def test_limits_default_and_come_from_the_environment(monkeypatch):
    monkeypatch.delenv("FAZHI_MAX_FILE_MB", raising=False)
    monkeypatch.delenv("FAZHI_FILE_SECONDS", raising=False)
    assert Limits.from_env() == Limits(50, 300)
    monkeypatch.setenv("FAZHI_MAX_FILE_MB", "200")
    monkeypatch.setenv("FAZHI_FILE_SECONDS", "7.5")
    assert Limits.from_env() == Limits(200, 7.5)


def test_the_cli_reports_a_too_large_file_and_goes_on(seed_file, tmp_path):
    import json
    import os
    import subprocess
    import sys

    small = tmp_path / "small.txt"
    small.write_text("全年办理行政复议案件12件。", encoding="utf-8")
    env = {**os.environ, "FAZHI_MAX_FILE_MB": "0.005"}
    run = subprocess.run([sys.executable, "-m", "fazhi", "parse", str(seed_file), str(small), "--json"],
                         capture_output=True, text=True, env=env)
    assert run.returncode == 1, run.stderr   # some file could not be read
    out = run.stdout.splitlines()
    rows = [json.loads(line) for line in out]
    assert rows[0]["error"].startswith("too large: ") and "FAZHI_MAX_FILE_MB" in rows[0]["error"]
    assert [m["value"] for m in rows[1]["metrics"]] == [12]


# ---- time ---------------------------------------------------------------------------------

def test_a_parse_over_its_time_budget_is_refused_and_the_alarm_is_restored(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("\n".join(seed_text(p.name[:3]) for p in SEEDS) * 8, encoding="utf-8")   # about 0.5 MB
    before = signal.getsignal(signal.SIGALRM)
    with pytest.raises(FileTimeout) as exc:
        parse_file(big, limits=Limits(file_seconds=0.05))
    assert str(exc.value) == "took longer than 0.05 s to parse (limit FAZHI_FILE_SECONDS)"
    assert isinstance(exc.value, UnreadableFile)   # the batch records it as any unreadable file
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_budget_holds_when_the_alarm_is_swallowed():
    """A library's catch-all (jieba's loader) or a gc callback can swallow the alarm's exception;
    the block then runs to its end, over budget: the file is refused all the same."""
    with pytest.raises(FileTimeout):
        with time_budget(0.05):
            try:
                time.sleep(0.2)
            except Exception:   # what a catch-all does with the alarm
                pass
            time.sleep(0.01)
    with time_budget(5):   # within the budget: nothing is raised
        time.sleep(0.01)


def test_a_budget_counts_the_file_not_the_first_load_of_the_dictionaries(seed_file):
    # In a fresh process the dictionaries load on the first parse (about a second). The budget is
    # the file's: they load before its clock starts. (Inside the budget, an alarm could also fire
    # in jieba's loader, which catches every exception, and the file parsed on unbounded.)
    script = ("import sys, time\n"
              "from ingest.read import Limits\n"
              "from ingest.parse import parse_file\n"
              "t = time.perf_counter()\n"
              "parsed = parse_file(sys.argv[1], limits=Limits(file_seconds=0.3))\n"
              "print(len(parsed.metrics), time.perf_counter() - t)\n")
    done = subprocess.run([sys.executable, "-c", script, str(seed_file)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    metrics, seconds = done.stdout.split()
    assert int(metrics) > 0
    assert float(seconds) > 0.3   # loading and parsing took longer than the file's budget


def test_a_budget_inside_another_keeps_the_outer_alarm_running():
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *a: fired.append(True))
    try:
        signal.setitimer(signal.ITIMER_REAL, 30)
        with time_budget(5):
            pass
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 25 < left <= 30 and not fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_outside_the_main_thread_the_budget_does_nothing():
    outcome = []

    def work():
        try:
            with time_budget(0.01):
                time.sleep(0.1)
            outcome.append("finished")
        except Exception as exc:  # pragma: no cover - the failure this test exists to catch
            outcome.append(repr(exc))
    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert outcome == ["finished"]


# ---- shapes that were slow ----------------------------------------------------------------

def test_html_nested_40000_deep_yields_its_text():
    depth = 40000
    page = "<html><body>" + "<div>" * depth + "<p>全年办理行政复议案件12件。</p>" + "</div>" * depth + "</body></html>"
    parsed = parse_bytes(page.encode("utf-8"), "deep.html", is_html=True)
    assert parsed.doc.text == "全年办理行政复议案件12件。\n"
    assert [(m.indicator, m.value) for m in parsed.metrics] == [("reconsideration.handled", 12)]


def test_deeply_nested_chrome_is_dropped_and_a_deep_article_kept():
    depth = 20000
    nav = "<div class='nav'>" * depth + "首页 政务公开" + "</div>" * depth
    article = "<div class='top-content'>" * depth + "<p>" + "全县坚持依法行政。" * 60 + "</p>" + "</div>" * depth
    parsed = parse_bytes(f"<html><body>{nav}{article}</body></html>".encode("utf-8"), "deep.html", is_html=True)
    assert "首页" not in parsed.doc.text and parsed.doc.text.startswith("全县坚持依法行政。")
