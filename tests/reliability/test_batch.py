"""A batch is never lost: bad files mixed with good ones, fuzzed input, a parser crash and a
report Postgres refuses inside one batch, kill -9 mid-load. Real CLI (or the loader itself) on a
real Postgres; writers and readers at once: test_overlap.py."""
from __future__ import annotations

import gzip
import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from conftest import ROOT, SEEDS
from fazhi.warehouse import engine
from fazhi.warehouse.dbt import build_marts
from ingest.errors import EXIT_FILES_FAILED
from runs import LIMIT, fazhi

pytestmark = pytest.mark.db

SEED = SEEDS[2].read_text(encoding="utf-8")          # 秀山 2023: 9 corrections of 69 cases
TITLE = SEED.splitlines()[0]


def seed_bytes(i: int, encoding: str = "utf-8") -> bytes:
    return SEEDS[i].read_text(encoding="utf-8").encode(encoding)


def with_bad_bytes(data: bytes, bad: bytes, at: float = 0.5) -> bytes:
    cut = int(len(data) * at)
    while cut < len(data) and 0x80 <= data[cut] < 0xC0:  # keep the characters around it whole
        cut += 1
    return data[:cut] + bad + data[cut:]


def truncated(data: bytes) -> bytes:
    """Cut inside a character, as an interrupted download leaves a file."""
    cut = len(data) // 2
    while data[cut] < 0xC0:
        cut += 1
    return data[:cut + 1]


# name -> (bytes, expected): "failed: <reason part>" or "loaded" (loaded, maybe repaired with a warning)
def bad_inputs() -> dict[str, tuple[bytes, str]]:
    rng = random.Random(7)
    s0 = seed_bytes(0)
    no_year_title = SEED.replace(TITLE, "秀山县法治政府建设情况").replace("2023年", "上一年")
    return {
        "empty.txt": (b"", "failed: empty file"),
        "blank.txt": (b"  \n\r\n\t ", "failed: empty file"),
        "bom_only.txt": ("\ufeff".encode("utf-8"), "failed: empty file"),
        "random.txt": (bytes(rng.randrange(256) for _ in range(5000)), "failed: binary"),
        "all_nul.txt": (b"\x00" * 4000, "failed: binary file"),
        "image.html": (b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(3000)), "failed: image file"),
        "gzipped.txt": (gzip.compress(s0), "failed: unsupported format: gzip"),
        "english.txt": (b"Annual report on the rule of law. 12 cases were handled.\n" * 20, "failed: no Chinese"),
        "digits.txt": (b"12345 67890\n" * 50, "failed: no Chinese"),
        "script_only.html": ("<html><script>var a='行政复议'</script><style>p{}</style></html>".encode(),
                             "failed: no Chinese text"),
        "oversized.txt": (("行政复议案件" * 100_000).encode("utf-8"), "failed: too large"),
        # Repaired, not refused: every one of these still states its figures.
        "nul_inside.txt": (SEED.replace("。", "。\x00", 5).encode("utf-8"), "loaded"),
        # (one figure changed: the same text as nul_inside.txt would be that report's alternate file)
        "control_chars.txt": (SEED.replace("纠错数9件", "纠错数7件").replace("。", "\x01\x1b\x7f。", 5).encode("utf-8"),
                              "loaded"),
        "bad_utf8_bytes.txt": (with_bad_bytes(seed_bytes(1), b"\xff\xfe\xc3"), "loaded"),
        "bad_gbk_bytes.txt": (with_bad_bytes(seed_bytes(3, "gbk"), b"\xff\x80\xff"), "loaded"),
        "surrogates.txt": (with_bad_bytes(seed_bytes(4), b"\xed\xa0\x80"), "loaded"),
        "truncated.txt": (truncated(s0), "failed: truncated"),
        "cut_at_a_character.txt": (s0[: len(s0) // 2].decode("utf-8", "ignore").encode("utf-8"), "loaded"),
        "crlf.txt": (SEED.replace("\n", "\r\n").replace("纠错数9件", "纠错数6件").encode("gb18030"), "loaded"),
        "year_1982.txt": ((no_year_title + "\n自1982年宪法颁布以来,依法行政不断推进。").encode("utf-8"), "loaded"),
        "year_1998.txt": ("秀山县1998年度法治政府建设情况报告\n1998年,全县办理行政复议案件12件。".encode("utf-8"), "loaded"),
        # out of range but a figure the warehouse can hold: stored and flagged (a 20-digit one is
        # not stored at all: tests/reliability/test_values.py)
        "huge_value.txt": (SEED.replace("纠错数9件", "纠错数99999999999件").encode("utf-8"), "loaded"),
        "rate_150.txt": (SEED.replace("纠错数9件", "纠错数9件。全县行政复议纠错率为150%").encode("utf-8"), "loaded"),
        "deep.html": (("<div>" * 40_000 + "全区办理行政复议案件12件。" + "</div>" * 40_000).encode(), "loaded"),
        "unclosed.html": ("<html><body><p>全区办理行政复议案件15件<div><span>行政诉讼案件8件".encode(), "loaded"),
        "wrong_charset.html": ('<meta charset="gbk"><p>全区办理行政复议案件16件。</p>'.encode("utf-8"), "loaded"),
        "headings_only.txt": ("".join(f"{i}、加强法治建设\n" for i in range(1, 3000)).encode("utf-8"), "loaded"),
        "one_long_line.txt": (("依法行政" * 30_000).encode("utf-8"), "loaded"),
        "many_numbers.txt": (("办理行政复议案件12件," * 8_000).encode("utf-8"), "loaded"),
        "good_seed.txt": (s0, "loaded"),
    }


@pytest.fixture(scope="module")
def batch(fresh_schema, database_url, tmp_path_factory):
    folder = tmp_path_factory.mktemp("mixed")
    cases = bad_inputs()
    for name, (data, _) in cases.items():
        (folder / name).write_bytes(data)
    missing = folder / "gone.txt"  # named on the command line, but not there
    run = fazhi("ingest", str(folder), str(missing),
                env={"DATABASE_URL": database_url, "FAZHI_MAX_FILE_MB": "0.5", "COLUMNS": "200"})
    return folder, cases, run


def test_every_file_is_loaded_or_recorded_and_the_exit_code_says_some_failed(batch):
    folder, cases, run = batch
    assert len(cases) >= 25
    assert "Traceback" not in run.stderr + run.stdout
    assert run.returncode == EXIT_FILES_FAILED, run.stderr[-2000:]
    with engine().connect() as conn:
        failures = dict(conn.execute(text("select source_path, reason from core.ingest_failure")).all())
        loaded = set(conn.execute(text("select source_path from core.report_source")).scalars())
    for name, (_, expected) in cases.items():
        path = str(folder / name)
        if expected == "loaded":
            assert path in loaded and path not in failures, (name, failures.get(path))
        else:
            reason = expected.removeprefix("failed: ")
            assert reason and path not in loaded and path in failures, name
            assert reason.lower() in failures[path].lower(), (name, failures[path])
            assert "\n" not in failures[path]
    assert failures[str(folder / "gone.txt")] == "file not found"
    assert not [r for r in failures.values() if crashed(r)]


def test_repairs_are_recorded_as_warnings(batch):
    folder, _, _ = batch
    with engine().connect() as conn:
        warnings = dict(conn.execute(text("select source_path, warnings from core.report")).all())
    assert warnings[str(folder / "good_seed.txt")] is None
    for name, word in (("nul_inside.txt", "control"), ("bad_utf8_bytes.txt", "byte"), ("bad_gbk_bytes.txt", "byte"),
                       ("year_1998.txt", "1998")):
        assert any(word in w for w in warnings[str(folder / name)] or []), (name, warnings[str(folder / name)])


def test_repaired_reports_keep_their_figures(batch):
    folder, _, _ = batch
    with engine().connect() as conn:
        rows = conn.execute(text("""
            select r.source_path, m.indicator_code, m.value, m.out_of_range, r.report_year
            from core.metric m join core.report r using (report_id)
            where m.indicator_code = 'reconsideration.corrected' and m.scope = 'jurisdiction'""")).all()
    by_file = {Path(r.source_path).name: r for r in rows}
    assert by_file["nul_inside.txt"].value == 9 and not by_file["nul_inside.txt"].out_of_range
    assert by_file["huge_value.txt"].value == 99999999999 and by_file["huge_value.txt"].out_of_range
    with engine().connect() as conn:
        years = conn.execute(text("select report_year from core.report where source_path in (:a, :b)"),
                             {"a": str(folder / "year_1982.txt"), "b": str(folder / "year_1998.txt")}).all()
    assert [y for (y,) in years] == [None, None]  # never 1982 or 1998, and not guessed


def test_implausible_figures_never_reach_the_comparisons(batch):
    assert build_marts(["build", "--quiet"]) == 0
    with engine().connect() as conn:
        flagged = {(Path(r.source_path).name, r.indicator_code, float(r.value)) for r in conn.execute(text(
            "select source_path, indicator_code, value from marts.fct_metric where is_out_of_range "
            "and not is_chosen_value"))}
        rates = conn.execute(text("select chosen_rate from marts.cmp_correction_rate")).scalars().all()
        panel = conn.execute(text("select max(value) from marts.indicator_panel "
                                  "where indicator_code = 'reconsideration.corrected'")).scalar()
    assert {("rate_150.txt", "reconsideration.correction_rate", 150.0),
            ("huge_value.txt", "reconsideration.corrected", 99999999999.0)} <= flagged, flagged
    assert rates and max(rates) <= 100, rates   # 秀山's 9 of 69 is compared, the 150 % is not
    assert panel < 1_000_000


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def mutate(data: bytes, ops: list[tuple[int, int, bytes]]) -> bytes:
    for kind, pos, chunk in ops:
        pos %= max(len(data), 1)
        if kind == 0:
            data = data[:pos] + chunk + data[pos:]                 # insert bytes
        elif kind == 1:
            data = data[:pos] + data[pos + len(chunk) * 50:]       # delete a stretch
        elif kind == 2:
            data = data[:pos] + data[pos:pos + 400] * 3 + data[pos:]  # repeat a stretch
        else:
            data = data[:pos]                                      # truncate
    return data


ENCODINGS = st.sampled_from(["utf-8", "gbk", "gb18030", "utf-16", "big5"])
OPS = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 10**6), st.binary(min_size=1, max_size=8)), max_size=6)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.one_of(st.binary(max_size=3000),
                      st.tuples(st.integers(0, len(SEEDS) - 1), ENCODINGS, OPS).map(
                          lambda t: mutate(SEEDS[t[0]].read_text(encoding="utf-8").encode(t[1], "replace"), t[2]))),
       html=st.booleans())
def test_fuzzed_input_is_loaded_or_recorded_never_raised(batch, fuzz_dir, data, html):
    from ingest.load import ingest_one

    path = fuzz_dir / f"case_{abs(hash(data)) % 10**12}.{'html' if html else 'txt'}"
    path.write_bytes(data)
    outcome = ingest_one(engine(), path)
    assert outcome.status in ("loaded", "alternate", "present", "failed")
    with engine().connect() as conn:
        if outcome.status == "failed":
            # A refusal names what is wrong with the file; a crash caught by a catch-all is a bug.
            assert outcome.reason and "\n" not in outcome.reason and not crashed(outcome.reason), outcome.reason
            assert conn.execute(text("select 1 from core.ingest_failure where source_path = :p"),
                                {"p": str(path)}).first()
        else:
            bad = conn.execute(text("""select count(*) from core.metric m join core.report r using (report_id)
                                       join core.report_source s using (report_id)
                                       where s.content_hash = :h
                                         and substr(r.text, m.start_offset + 1, m.end_offset - m.start_offset)
                                             <> m.evidence"""), {"h": hashlib.sha256(data).hexdigest()}).scalar()
            assert bad == 0


def crashed(reason: str) -> bool:
    """A failure the catch-alls recorded (a bug in fazhi), not a refusal of the file."""
    from ingest.parse.pipeline import DIED

    return reason.startswith(("parser error:", "load error:", "database refused the report:")) or reason == DIED


def variants(folder: Path, n: int, first: int = 1000) -> list[Path]:
    paths = []
    for i in range(n):
        # A figure of its own: a copy with the same figures would be the same report (an alternate
        # file); `first` keeps each test's reports apart from another's.
        seed = SEEDS[i % len(SEEDS)].read_text(encoding="utf-8")
        cut = seed.index("。", len(seed) // 3) + 1
        body = seed[:cut] + f"全年办理法律援助案件{first + i}件。" + seed[cut:]
        path = folder / f"report_{i:03d}.txt"
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    return paths


def test_a_parser_crash_and_a_refused_report_cost_only_their_own_file(fresh_schema, tmp_path, monkeypatch):
    """Inside one batch, a bug in the parser on one file and a row Postgres refuses for another:
    each recorded with a one-line reason, every other report of the batch loaded."""
    from dataclasses import replace

    from ingest.load import batch as batch_module
    from ingest.load import ingest_paths, prepare
    from ingest.load.prepare import REPORT_COLUMNS
    from ingest.parse import report

    paths = variants(tmp_path, 12, first=5000)
    crash, refused = paths[3], paths[7]
    extract = report.extract_metrics

    def extract_with_a_bug(text_, *args):
        if "法律援助案件5003件" in text_:   # crash's own figure (variants)
            raise IndexError("list index out of range")   # as a slip in an extractor would
        return extract(text_, *args)

    to_rows = prepare.prepare

    def year_out_of_range(parsed):
        # report_year outside its check constraint (2000..2100): a row Postgres refuses.
        it = to_rows(parsed)
        year = REPORT_COLUMNS.index("report_year") - 1   # report_head starts after report_id
        return replace(it, report_head=(*it.report_head[:year], "1800", *it.report_head[year + 1:])) \
            if it.source == str(refused) else it

    written = []

    def spy(cur, items, *args):
        written.append([it.source for it in items])
        return write(cur, items, *args)

    write = batch_module.write_batch
    monkeypatch.setattr(report, "extract_metrics", extract_with_a_bug)   # forked workers inherit these
    monkeypatch.setattr(prepare, "prepare", year_out_of_range)
    monkeypatch.setattr(batch_module, "write_batch", spy)
    summary = ingest_paths(engine(), [tmp_path], jobs=2)

    status = {o.source: (o.status, o.reason) for o in summary.outcomes}
    assert len(status) == len(paths)
    assert status.pop(str(crash)) == ("failed", "parser error: IndexError: list index out of range")
    refusal = status.pop(str(refused))
    assert refusal[0] == "failed" and refusal[1].startswith("database refused the report: ") and \
        "report_year" in refusal[1] and "\n" not in refusal[1], refusal
    assert set(status.values()) == {("loaded", None)}
    # The refused report came in a batch with others (which Postgres refused whole), then alone.
    assert any(str(refused) in b and len(b) > 5 for b in written) and [str(refused)] in written, written
    with engine().connect() as conn:
        failures = dict(conn.execute(text("select source_path, reason from core.ingest_failure "
                                          "where source_path like :d"), {"d": f"{tmp_path}/%"}).all())
        loaded = set(conn.execute(text("select source_path from core.report_source where source_path like :d"),
                                  {"d": f"{tmp_path}/%"}).scalars())
    assert failures == {str(crash): "parser error: IndexError: list index out of range", str(refused): refusal[1]}
    assert loaded == set(status)


def test_kill_9_during_a_load_loses_nothing_and_duplicates_nothing(fresh_schema, database_url, tmp_path):
    """kill -9 while a load is under way: some batches committed, more to come. Every report
    present after a kill is whole; the next run loads the rest, each report exactly once."""
    from ingest.load.batch import BATCH_REPORTS
    from ingest.parse import parse_file

    # More than two full batches (fewer reports per batch when parsing is slow): each of two runs
    # killed after its first commit leaves more to load.
    paths = variants(tmp_path, 2 * BATCH_REPORTS + BATCH_REPORTS // 2)
    total = len(paths)
    expected = {str(p): (len(r.measures), len(r.metrics)) for p in paths for r in [parse_file(p)]}
    env = {**os.environ, "DATABASE_URL": database_url}
    kills = []
    for _ in range(4):
        before = report_count(tmp_path)
        if len(kills) == 2 or before > total - BATCH_REPORTS // 2:
            break
        proc = subprocess.Popen([sys.executable, "-m", "fazhi", "ingest", str(tmp_path)], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seen, deadline = before, time.monotonic() + LIMIT
        while proc.poll() is None and seen == before and time.monotonic() < deadline:
            time.sleep(0.01)
            seen = report_count(tmp_path)
        if proc.poll() is None and seen < total:   # this run committed a batch and is loading the next
            proc.send_signal(signal.SIGKILL)
            kills.append((before, seen))
        proc.kill()   # a run that hung (the deadline passed) is a failure below, not a stuck suite
        proc.wait()
        assert_whole_reports(expected)
    assert len(kills) >= 2 and all(0 <= b < n < total for b, n in kills), kills
    final = fazhi("ingest", str(tmp_path), env={"DATABASE_URL": database_url})
    assert final.returncode == 0, final.stderr[-2000:]
    assert assert_whole_reports(expected) == total
    with engine().connect() as conn:
        sources = conn.execute(text("select count(*), count(distinct source_path) from core.report_source "
                                    "where source_path like :d"), {"d": f"{tmp_path}/%"}).one()
        failures = conn.execute(text("select count(*) from core.ingest_failure where source_path like :d"),
                                {"d": f"{tmp_path}/%"}).scalar()
    assert tuple(sources) == (total, total) and failures == 0


def report_count(folder: Path) -> int:
    with engine().connect() as conn:
        return conn.execute(text("select count(*) from core.report where source_path like :d"),
                            {"d": f"{folder}/%"}).scalar()


def assert_whole_reports(expected: dict[str, tuple[int, int]]) -> int:
    """Every report present has all its measures and metrics and its file, and none is there twice."""
    with engine().connect() as conn:
        rows = conn.execute(text("""
            select r.source_path, count(distinct r.report_id) as copies,
                   (select count(*) from core.measure m where m.report_id = min(r.report_id)) as measures,
                   (select count(*) from core.metric m where m.report_id = min(r.report_id)) as metrics,
                   (select count(*) from core.report_source s where s.report_id = min(r.report_id)) as files
            from core.report r group by r.source_path""")).all()
    for row in rows:
        if row.source_path in expected:
            assert (row.copies, row.files) == (1, 1) and (row.measures, row.metrics) == expected[row.source_path], row
    return sum(1 for row in rows if row.source_path in expected)
