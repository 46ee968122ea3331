"""Hostile files in a run, through the real CLI on a real warehouse: a name that is not UTF-8, links
out of the folders given, broken links and link loops, FIFOs and devices, a folder that cannot be
read, a 20 GB sparse file, BOM-less UTF-16 and text named .pdf. Every good file loads, every bad
one is recorded with a one-line reason, the exit status says some failed, nothing hangs."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from conftest import SEEDS, deny_listing
from fazhi.warehouse import engine
from ingest.errors import EXIT_FILES_FAILED, EXIT_OK
from ingest.read import files
from ingest.read.files import FOLDER_LOOP, OUTSIDE
from runs import fazhi, no_traceback

pytestmark = pytest.mark.db

SECRET = "绝密：本文件仅限管理员阅读"
BAD_NAME = b"bad\xffname.txt"            # not UTF-8: stored and printed as bad\xffname.txt
SHOWN = "bad\\xffname.txt"
BAD_EMPTY = b"empty\xfe.txt"           # not UTF-8 and refused: listed as empty\xfe.txt
# Root reads a folder of any mode: as root, a run that must be refused one is started without that
# override (setpriv drops it from the bounding set; the run then cannot reach the test server's
# private socket, so this is for `fazhi parse`, which needs no database).
UNPRIVILEGED = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"] if os.geteuid() == 0 else []


def seed(i: int) -> str:
    return SEEDS[i].read_text(encoding="utf-8")


def hostile_folder(base: Path, locked: bool) -> tuple[Path, dict[str, str], dict[str, str]]:
    """in/ with good reports and every kind of bad entry; (folder, good name -> encoding or format,
    bad name -> reason)."""
    folder, outside = base / "in", base / "outside"
    (folder / "sub").mkdir(parents=True)
    outside.mkdir()
    (folder / "good0.txt").write_text(seed(0), encoding="utf-8")
    (folder / "sub" / "good1.txt").write_text(seed(1), encoding="utf-8")
    with open(os.path.join(os.fsencode(folder), BAD_NAME), "wb") as f:
        f.write(seed(2).encode("utf-8"))
    with open(os.path.join(os.fsencode(folder), BAD_EMPTY), "wb"):
        pass
    (folder / "utf16.txt").write_bytes(seed(3).encode("utf-16-le"))     # no byte-order mark
    (folder / "plain.pdf").write_text(seed(4), encoding="utf-8")          # text under a PDF's name
    secret = outside / "secret.txt"
    secret.write_text(seed(0).replace("2023年", "2019年") + SECRET, encoding="utf-8")
    secret.chmod(0o600)
    (folder / "link_out.txt").symlink_to(secret)
    (folder / "link_outdir").symlink_to(outside)
    (folder / "dangling.txt").symlink_to("nowhere.txt")
    (folder / "loop1").symlink_to("loop2")
    (folder / "loop2").symlink_to("loop1")
    (folder / "sub" / "up").symlink_to("..")
    os.mkfifo(folder / "pipe.txt")
    good = {"good0.txt": "utf-8", "sub/good1.txt": "utf-8", SHOWN: "utf-8", "utf16.txt": "utf-16-le",
            "plain.pdf": "utf-8"}
    bad = {"link_out.txt": OUTSIDE, "link_outdir": OUTSIDE, "dangling.txt": "broken link: its target does not exist",
           "loop1": "link loop: the link leads back to itself", "loop2": "link loop: the link leads back to itself",
           "sub/up": FOLDER_LOOP, "pipe.txt": "not a regular file: a FIFO (named pipe)",
           "empty\\xfe.txt": "empty file"}
    if locked:
        (folder / "locked").mkdir()
        (folder / "locked" / "x.txt").write_text(seed(4), encoding="utf-8")
        (folder / "locked").chmod(0)
        bad["locked"] = "cannot read folder: permission denied"
    return folder, good, bad


def failures() -> dict[str, str]:
    with engine().connect() as conn:
        return dict(conn.execute(text("select source_path, reason from core.ingest_failure")).all())


def sources() -> dict[str, tuple[str, str]]:
    with engine().connect() as conn:
        rows = conn.execute(text("select source_path, encoding, file_format from core.report_source")).all()
    return {path: (encoding, fmt) for path, encoding, fmt in rows}


@pytest.fixture(scope="module")
def mixed(fresh_schema, database_url, tmp_path_factory):
    # A folder of mode 000 stops only a run without root's override; as root that one case is left to
    # test_a_folder_that_cannot_be_read_is_listed_by_parse and the in-process test below.
    folder, good, bad = hostile_folder(tmp_path_factory.mktemp("hostile"), locked=os.geteuid() != 0)
    env = {"DATABASE_URL": database_url, "COLUMNS": "250"}
    started = time.monotonic()
    first = fazhi("ingest", str(folder), env=env, timeout=90)
    took = time.monotonic() - started
    before = (failures(), sources())
    second = fazhi("ingest", str(folder), env=env, timeout=90)
    yield folder, good, bad, first, took, second, before
    if (folder / "locked").exists():
        (folder / "locked").chmod(0o755)


def test_every_good_file_loads_and_every_bad_one_is_recorded_with_its_reason(mixed):
    folder, good, bad, run, took, _, _ = mixed
    no_traceback(run)
    assert run.returncode == EXIT_FILES_FAILED, run.stderr[-3000:]
    loaded, failed = sources(), failures()
    for name, encoding in good.items():
        path = f"{folder}/{name}"
        assert path in loaded and path not in failed, (name, failed.get(path))
        assert loaded[path] == (encoding, "text"), name
    for name, reason in bad.items():
        assert failed[f"{folder}/{name}"] == reason, name
    assert all("\n" not in reason for reason in failed.values())
    assert len(failed) == len(bad)


def test_a_file_behind_a_link_out_of_the_folders_given_is_never_read(mixed):
    with engine().connect() as conn:
        leaked = conn.execute(text("select count(*) from core.report where strpos(text, :s) > 0"),
                              {"s": SECRET}).scalar()
    assert leaked == 0
    assert not [path for path in sources() if "secret" in path or "link_out" in path]


def test_the_summary_lists_each_bad_entry_with_its_reason_on_one_line(mixed):
    folder, _, bad, run, _, _, _ = mixed
    lines = run.stderr.splitlines()
    for name, reason in bad.items():
        assert any(f"{folder}/{name} " in line and reason in line for line in lines), (name, run.stderr[-3000:])
    assert f"{folder}/empty\\xfe.txt " in run.stderr            # the escaped name, as stored


def test_the_hostile_batch_never_hangs(mixed):
    *_, took, _, _ = mixed
    assert took < 90


def counts(run) -> dict[str, int]:
    return {status: int(n) for status, n in re.findall(r"│ (\w+)\s*│ (\d+)\s*│", run.stderr)}


def test_a_second_run_recognises_every_file_and_records_nothing_new(mixed):
    folder, good, bad, first, _, second, (failed_before, loaded_before) = mixed
    no_traceback(second)
    assert second.returncode == EXIT_FILES_FAILED
    assert counts(first) == {"loaded": len(good), "present": 0, "failed": len(bad)}
    assert counts(second) == {"loaded": 0, "present": len(good), "failed": len(bad)}
    assert sources() == loaded_before and failures() == failed_before


def test_follow_links_reads_a_link_out_of_the_folders_given(fresh_schema, database_url, tmp_path):
    folder, outside = tmp_path / "in", tmp_path / "elsewhere"
    folder.mkdir()
    outside.mkdir()
    (outside / "report.txt").write_text(seed(1).replace("2023年", "2017年"), encoding="utf-8")
    (folder / "report.txt").symlink_to(outside / "report.txt")
    env = {"DATABASE_URL": database_url, "COLUMNS": "250"}
    plain = fazhi("ingest", str(folder), env=env)
    assert plain.returncode == EXIT_FILES_FAILED and failures()[str(folder / "report.txt")] == OUTSIDE
    run = fazhi("ingest", "--follow-links", str(folder), env=env)
    no_traceback(run)
    assert run.returncode == EXIT_OK, run.stderr[-2000:]
    assert str(folder / "report.txt") in sources()


@pytest.mark.parametrize("command", ["ingest", "parse"])
def test_a_fifo_or_a_device_on_the_command_line_is_refused_at_once(fresh_schema, database_url, tmp_path, command):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (tmp_path / "good.txt").write_text(seed(0), encoding="utf-8")
    json_out = ["--json"] if command == "parse" else []
    run = fazhi(command, *json_out, str(fifo), "/dev/zero", str(tmp_path / "good.txt"),
                env={"DATABASE_URL": database_url, "COLUMNS": "250"}, timeout=60)
    no_traceback(run)
    assert run.returncode == EXIT_FILES_FAILED
    if command == "parse":
        rows = [json.loads(line) for line in run.stdout.splitlines()]
        assert rows[0] == {"source": str(fifo), "error": "not a regular file: a FIFO (named pipe)"}
        assert rows[1] == {"source": "/dev/zero", "error": "not a regular file: a character device"}
        assert rows[2]["metrics"]
    else:
        failed = failures()
        assert failed[str(fifo)] == "not a regular file: a FIFO (named pipe)"
        assert failed["/dev/zero"] == "not a regular file: a character device"


def test_a_20_gb_sparse_file_is_refused_by_its_size_before_it_is_hashed(fresh_schema, database_url, tmp_path):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as f:
        f.truncate(20 << 30)   # hashing 20 GB takes about a minute; the size is known at once
    started = time.monotonic()
    run = fazhi("ingest", str(huge), env={"DATABASE_URL": database_url}, timeout=60)
    assert time.monotonic() - started < 40
    no_traceback(run)
    assert run.returncode == EXIT_FILES_FAILED
    assert failures()[str(huge)] == "too large: 20480.0 MB (limit 50 MB, set FAZHI_MAX_FILE_MB)"


def test_a_file_over_the_size_limit_is_never_opened_by_ingest(fresh_schema, tmp_path, monkeypatch):
    from ingest.load import ingest_paths

    (tmp_path / "big.txt").write_text(seed(0), encoding="utf-8")   # 10 KB, over a 5 KB limit
    (tmp_path / "small.txt").write_text(seed(1)[:1200], encoding="utf-8")
    real = os.open

    def guarded(path, *args, **kw):
        assert os.fspath(path) != str(tmp_path / "big.txt"), "opened a file over the size limit"
        return real(path, *args, **kw)
    monkeypatch.setattr(files.os, "open", guarded)
    monkeypatch.setenv("FAZHI_MAX_FILE_MB", "0.005")
    summary = ingest_paths(engine(), [tmp_path], jobs=1)
    got = {Path(o.source).name: (o.status, o.reason) for o in summary.outcomes}
    assert got["big.txt"] == ("failed", f"too large: {(tmp_path / 'big.txt').stat().st_size} bytes "
                                        "(limit 0.005 MB, set FAZHI_MAX_FILE_MB)")
    assert got["small.txt"][0] == "loaded"


def test_a_folder_that_cannot_be_listed_is_recorded_and_the_batch_goes_on(fresh_schema, tmp_path, monkeypatch):
    # Stands in for the operating system's refusal, which root (these tests' usual user) never gets.
    from ingest.load import ingest_paths

    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "a.txt").write_text(seed(2).replace("2023年", "2016年"), encoding="utf-8")
    (tmp_path / "z.txt").write_text(seed(3).replace("2023年", "2015年"), encoding="utf-8")
    deny_listing(monkeypatch, tmp_path / "locked")
    summary = ingest_paths(engine(), [tmp_path], jobs=1)
    assert [(Path(o.source).name, o.status) for o in summary.outcomes] == [("locked", "failed"), ("z.txt", "loaded")]
    assert failures()[str(tmp_path / "locked")] == "cannot read folder: permission denied"


@pytest.mark.skipif(UNPRIVILEGED and not shutil.which("setpriv"), reason="as root, only setpriv can make a folder "
                    "unreadable; covered by the in-process test above")
def test_a_folder_that_cannot_be_read_is_listed_by_parse(tmp_path):
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "x.txt").write_text(seed(0), encoding="utf-8")
    (tmp_path / "locked").chmod(0)
    (tmp_path / "z.txt").write_text(seed(1), encoding="utf-8")
    try:
        run = subprocess.run([*UNPRIVILEGED, sys.executable, "-m", "fazhi", "parse", "--json", str(tmp_path)],
                             capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[2])
    finally:
        (tmp_path / "locked").chmod(0o755)
    no_traceback(run)
    assert run.returncode == EXIT_FILES_FAILED, run.stderr[-2000:]
    rows = [json.loads(line) for line in run.stdout.splitlines()]
    assert rows[0] == {"source": str(tmp_path / "locked"), "error": "cannot read folder: permission denied"}
    assert rows[1]["source"] == str(tmp_path / "z.txt") and rows[1]["metrics"]


def test_parse_of_a_missing_file_exits_1_with_the_reason(tmp_path):
    run = fazhi("parse", str(tmp_path / "missing.txt"), env={"COLUMNS": "250"})
    no_traceback(run)
    assert run.returncode == EXIT_FILES_FAILED
    assert "file not found" in run.stdout
    run = fazhi("parse", "--json", str(tmp_path / "missing.txt"))
    assert run.returncode == EXIT_FILES_FAILED
    assert json.loads(run.stdout) == {"source": str(tmp_path / "missing.txt"), "error": "file not found"}


def test_parse_and_build_take_a_name_that_is_not_utf8(fresh_schema, database_url, tmp_path):
    with open(os.path.join(os.fsencode(tmp_path), BAD_NAME), "wb") as f:
        f.write(seed(1).replace("2023年", "2014年").encode("utf-8"))
    run = fazhi("parse", "--json", str(tmp_path))
    no_traceback(run)
    assert run.returncode == EXIT_OK
    assert json.loads(run.stdout)["source"] == f"{tmp_path}/{SHOWN}"
    run = fazhi("build", "--no-dbt", str(tmp_path), env={"DATABASE_URL": database_url, "COLUMNS": "250"})
    no_traceback(run)
    assert run.returncode == EXIT_OK, run.stderr[-2000:]
    assert f"{tmp_path}/{SHOWN}" in sources()
