"""Another file of a loaded report is found among a handful of candidates, however many reports
share its title, place and year: the stored near keys (identity.near_keys) pick them, and the
full comparison (identity.same_report, the same figures) still decides."""
from __future__ import annotations

import random
import subprocess
import sys

import pytest
from sqlalchemy import inspect, text

from conftest import ROOT, SEEDS
from fazhi.warehouse import engine, migrate
from fazhi.warehouse.database import downgrade
from ingest.load import identity, ingest_paths

pytestmark = pytest.mark.db

# A department's report under a generic title, no place and no figure: the corpus where every
# report shared one (title, year, place) and each new one was compared with all of them.
TITLE = "关于2023年度法治政府建设情况的报告"
WORDS = "推进 依法 行政 建设 完善 制度 加强 监督 规范 执法 决策 公开 服务 改革 落实 机制 责任 培训 学习 宣传".split()
REPORTS = 40


def generic_report(seed: int, words: int = 1500) -> str:
    rng = random.Random(seed)
    body = "".join(rng.choice(WORDS) + ("。" if i % 9 == 8 else "") for i in range(words))
    return f"{TITLE}\n\n{body}\n"


def another_file(report: str) -> str:
    """The same report as a site republished it: last sentence lost, a source line added."""
    cut = report.rstrip().rstrip("。").rfind("。") + 1
    return report[:cut] + "\n(来源:本部门办公室)\n"


@pytest.fixture
def counted(monkeypatch):
    """Full text comparisons the loader makes."""
    calls = []
    real = identity.same_report

    def same_report(a, b):
        calls.append(1)
        return real(a, b)

    monkeypatch.setattr(identity, "same_report", same_report)
    return calls


def _statuses(summary) -> dict[str, str]:
    return {o.source.rsplit("/", 1)[-1]: o.status for o in summary.outcomes}


def test_near_keys_do_not_depend_on_the_process():
    """Stored keys must be the same in every run: no salted hash() (PYTHONHASHSEED) in them."""
    seed = SEEDS[0].read_text(encoding="utf-8")
    code = ("import sys; from ingest.load import identity; "
            "print(identity.near_keys(identity.skeleton(sys.stdin.read()), ('t', 2023, None, [])))")
    runs = {subprocess.run([sys.executable, "-c", code], input=seed, capture_output=True, text=True, cwd=ROOT,
                           env={"PYTHONPATH": str(ROOT), "PYTHONHASHSEED": str(h)}, check=True, timeout=60).stdout
            for h in (1, 2)}
    assert runs == {f"{identity.near_keys(identity.skeleton(seed), ('t', 2023, None, []))}\n"}


def test_a_report_and_its_other_file_share_a_key_and_others_do_not():
    """Texts same_report takes for one report share a key, even at its threshold; another
    report, another figure or another place never (the keys are bound to them)."""
    ctx = (TITLE, 2023, None, [])
    rng = random.Random(7)
    alphabet = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    pairs = shared = 0
    for _ in range(80):   # just above same_report's threshold: run sets overlap by ~0.82
        a = "".join(rng.choice(alphabet) for _ in range(3000))
        b = list(a)
        for i in rng.sample(range(len(b)), 25):
            b[i] = rng.choice(alphabet)
        b = "".join(b)
        if identity.similarity(a, b) >= identity.SAME_REPORT:
            pairs += 1
            shared += bool(set(identity.near_keys(a, ctx)) & set(identity.near_keys(b, ctx)))
    assert shared == pairs >= 40
    one, two = generic_report(1), generic_report(2)
    keys = set(identity.near_keys(identity.skeleton(one), ctx))
    assert len(keys) == identity.BANDS
    assert keys & set(identity.near_keys(identity.skeleton(another_file(one)), ctx))
    assert not keys & set(identity.near_keys(identity.skeleton(two), ctx))
    assert not keys & set(identity.near_keys(identity.skeleton(one), (TITLE, 2023, None, [("x", 1.0, "", "")])))
    assert not keys & set(identity.near_keys(identity.skeleton(one), (TITLE, 2023, "某县", [])))


def test_text_comparisons_grow_linearly_with_reports_under_one_title(fresh_schema, tmp_path, counted):
    """40 reports under one title, year and no place, half their other files in the same batch,
    half in a later run: each other file is compared with its own report only, and the reports
    with none (before: each with every report of the title, 1,200 comparisons here)."""
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir()
    later.mkdir()
    for i in range(REPORTS):
        report = generic_report(i)
        (first / f"r{i:03d}.txt").write_text(report, encoding="utf-8")
        (first if i % 2 else later).joinpath(f"r{i:03d}_page.txt").write_text(another_file(report), encoding="utf-8")

    status = _statuses(ingest_paths(engine(), [first], jobs=1))
    assert sorted(status.values()) == ["alternate"] * (REPORTS // 2) + ["loaded"] * REPORTS
    assert all(s == "alternate" for name, s in status.items() if name.endswith("_page.txt"))
    assert len(counted) <= REPORTS // 2 + 3
    with engine().connect() as conn:   # every report with its keys stored
        assert conn.execute(text("""select count(*) from core.report r where title = :t and jurisdiction_name is null
                                    and (select count(*) from core.report_near_key k where k.report_id = r.report_id)
                                        = :b"""), {"t": TITLE, "b": identity.BANDS}).scalar() == REPORTS

    counted.clear()
    assert set(_statuses(ingest_paths(engine(), [later], jobs=1)).values()) == {"alternate"}
    assert len(counted) <= REPORTS // 2 + 3
    with engine().connect() as conn:   # each other file on its own report
        pairs = conn.execute(text("""select s.source_path, r.source_path from core.report_source s
                                     join core.report r using (report_id) where not s.is_primary""")).all()
    assert sorted((a.rsplit("/", 1)[-1], b.rsplit("/", 1)[-1]) for a, b in pairs) == [
        (f"r{i:03d}_page.txt", f"r{i:03d}.txt") for i in range(REPORTS)]


def test_the_stored_keys_find_the_candidates(fresh_schema, tmp_path):
    """Candidates come from core.report_near_key: a report whose stored keys are gone is not
    found for its other file, which then loads as a report of its own."""
    original, lost = generic_report(1001), generic_report(1002)
    (tmp_path / "a.txt").write_text(original, encoding="utf-8")
    (tmp_path / "b.txt").write_text(lost, encoding="utf-8")
    assert set(_statuses(ingest_paths(engine(), [tmp_path], jobs=1)).values()) == {"loaded"}
    with engine().begin() as conn:
        gone = conn.execute(text("""delete from core.report_near_key where report_id =
                                    (select report_id from core.report where source_path = :p)"""),
                            {"p": f"{tmp_path}/b.txt"}).rowcount
    assert gone == identity.BANDS
    (tmp_path / "a_page.txt").write_text(another_file(original), encoding="utf-8")
    (tmp_path / "b_page.txt").write_text(another_file(lost), encoding="utf-8")
    status = _statuses(ingest_paths(engine(), [tmp_path], jobs=1))
    assert status == {"a.txt": "present", "b.txt": "present", "a_page.txt": "alternate", "b_page.txt": "loaded"}


def test_another_file_and_another_version_of_a_loaded_report(fresh_schema, tmp_path):
    """A real report loaded first; later its page (alternate) and a version with one figure
    changed (another report): decided against the stored report, not within one batch."""
    body = SEEDS[2].read_text(encoding="utf-8")
    (tmp_path / "first").mkdir()
    (tmp_path / "first" / "report.txt").write_text(body, encoding="utf-8")
    assert _statuses(ingest_paths(engine(), [tmp_path / "first"], jobs=1)) == {"report.txt": "loaded"}
    later = tmp_path / "later"
    later.mkdir()
    (later / "page.txt").write_text(another_file(body), encoding="utf-8")
    changed = another_file(body).replace("纠错数9件", "纠错数8件")
    assert changed != another_file(body)
    (later / "version.txt").write_text(changed, encoding="utf-8")
    assert _statuses(ingest_paths(engine(), [later], jobs=1)) == {"page.txt": "alternate", "version.txt": "loaded"}


def test_the_migration_gives_loaded_reports_the_keys_the_loader_would(fresh_schema):
    """0009 computes the keys of reports loaded before it from their stored text and figures:
    the same keys prepare gives a new file of them, or their other files would go unfound."""
    ingest_paths(engine(), [SEEDS[0], SEEDS[3]], jobs=1)
    query = text("""select r.source_path, array_agg(k.near_key order by k.near_key) from core.report r
                    join core.report_near_key k using (report_id) where r.source_path = any(:p) group by 1 order by 1""")
    seeds = {"p": [str(SEEDS[0]), str(SEEDS[3])]}
    with engine().connect() as conn:
        before = conn.execute(query, seeds).all()
    assert len(before) == 2 and all(len(keys) == identity.BANDS for _, keys in before)
    downgrade("0008")
    assert "report_near_key" not in inspect(engine()).get_table_names(schema="core")
    migrate("head")
    with engine().connect() as conn:
        assert conn.execute(query, seeds).all() == before
