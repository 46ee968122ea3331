"""The files a run reads: only regular files, links followed only inside the folders given, every
file passed over listed with its reason, sizes checked before a byte is read, names handled as the
bytes they are (printed and stored losslessly); BOM-less UTF-16 and text named like another
format read by their content."""
import hashlib
import inspect
import json
import os
import shutil
import socket
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT, SEEDS, deny_listing, seed_text
from ingest.parse import parse_bytes
from ingest.read import Limits, UnreadableFile, content_hash, discover, read_bytes, read_path, shown, time_budget
from ingest.read import files
from ingest.read.decode import decode
from ingest.read.files import FOLDER_LOOP, OUTSIDE, unshown

REPORT = seed_text("000")


def listing(folder, **kw) -> dict[str, str | None]:
    """discover's entries below `folder`: relative name -> reason refused (None: read)."""
    return {os.path.relpath(f.path, folder): f.refused for f in discover([folder], **kw)}


@pytest.fixture
def opened(monkeypatch):
    """Every path os.open is called on (to show a file was refused before it was opened)."""
    calls = []
    real = os.open

    def spy(path, *args, **kw):
        calls.append(os.fspath(path))
        return real(path, *args, **kw)
    monkeypatch.setattr(files.os, "open", spy)
    return calls


@pytest.fixture
def tree(tmp_path):
    """in/ with files, links inside and out, and outside/ holding a file readers must not see."""
    inp, outside = tmp_path / "in", tmp_path / "outside"
    (inp / "sub").mkdir(parents=True)
    outside.mkdir()
    (inp / "a.txt").write_text(REPORT, encoding="utf-8")
    (inp / "sub" / "b.txt").write_text(REPORT, encoding="utf-8")
    (outside / "secret.txt").write_text("机密", encoding="utf-8")
    (inp / "link_in.txt").symlink_to("a.txt")
    (inp / "link_sub").symlink_to("sub")
    (inp / "link_out.txt").symlink_to(outside / "secret.txt")
    (inp / "link_out_rel.txt").symlink_to("../outside/secret.txt")
    (inp / "link_outdir").symlink_to(outside)
    (inp / "sub" / "link_up_and_out.txt").symlink_to("../../outside/secret.txt")
    return inp, outside


# ---- links ---------------------------------------------------------------------------------

def test_links_are_followed_only_to_targets_inside_the_folders_given(tree):
    inp, _ = tree
    assert listing(inp) == {
        "a.txt": None, "link_in.txt": None, "link_sub/b.txt": None, "sub/b.txt": None,
        "link_out.txt": OUTSIDE, "link_out_rel.txt": OUTSIDE, "link_outdir": OUTSIDE,
        "sub/link_up_and_out.txt": OUTSIDE, "link_sub/link_up_and_out.txt": OUTSIDE}


def test_follow_links_reads_targets_anywhere(tree):
    inp, _ = tree
    got = listing(inp, follow_links=True)
    assert got["link_out.txt"] is None and got["link_outdir/secret.txt"] is None
    assert got["sub/link_up_and_out.txt"] is None and got["link_sub/link_up_and_out.txt"] is None
    assert all(reason is None for reason in got.values())


def test_a_target_in_another_folder_given_is_inside(tree):
    inp, outside = tree
    got = {os.path.relpath(f.path, inp.parent): f.refused for f in discover([inp, outside])}
    assert got["in/link_out.txt"] is None and got["in/link_outdir/secret.txt"] is None
    assert got["outside/secret.txt"] is None


def test_a_folder_given_through_a_link_is_read_and_its_links_inside_followed(tree):
    inp, _ = tree
    alias = inp.parent / "alias"
    alias.symlink_to(inp)
    got = listing(alias)
    assert got["link_in.txt"] is None and got["link_sub/b.txt"] is None and got["link_out.txt"] == OUTSIDE


def test_a_link_named_on_the_command_line_is_the_users_choice(tree):
    inp, outside = tree
    assert [f.refused for f in discover([inp / "link_out.txt"])] == [None]


def test_broken_links_link_loops_and_folder_loops_are_listed_with_their_reason(tmp_path):
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "dangling.txt").symlink_to("nothing-here.txt")
    (tmp_path / "loop1").symlink_to("loop2")
    (tmp_path / "loop2").symlink_to("loop1")
    (tmp_path / "self").symlink_to("self")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to("..")
    assert listing(tmp_path) == {
        "a.txt": None, "dangling.txt": "broken link: its target does not exist",
        "loop1": "link loop: the link leads back to itself", "loop2": "link loop: the link leads back to itself",
        "self": "link loop: the link leads back to itself", "sub/up": FOLDER_LOOP}


def test_a_folder_linked_twice_is_read_twice_not_called_a_loop(tmp_path):
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "a.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "again").symlink_to("reports")
    assert listing(tmp_path) == {"again/a.txt": None, "reports/a.txt": None}


# ---- what is not a regular file ------------------------------------------------------------

def test_fifos_sockets_and_devices_are_listed_and_never_opened(tmp_path, opened):
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "sock.txt"))
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    try:
        got = {os.path.relpath(f.path, tmp_path): f.refused
               for f in discover([tmp_path, "/dev/zero", tmp_path / "pipe.txt"], follow_links=True)}
    finally:
        sock.close()
    assert got == {"a.txt": None, "pipe.txt": "not a regular file: a FIFO (named pipe)",
                   "sock.txt": "not a regular file: a socket",
                   "zero.txt": "not a regular file: a character device",
                   os.path.relpath("/dev/zero", tmp_path): "not a regular file: a character device"}
    assert opened == []


@pytest.mark.parametrize("kind", ["fifo", "device"])
@pytest.mark.parametrize("how", ["hash", "read"])
def test_reading_a_fifo_or_a_device_is_refused_at_once(tmp_path, opened, kind, how):
    path = "/dev/zero" if kind == "device" else tmp_path / "pipe.txt"
    if kind == "fifo":
        os.mkfifo(path)
    read = content_hash if how == "hash" else read_path
    with time_budget(20), pytest.raises(UnreadableFile, match="^not a regular file: a (FIFO|character device)"):
        read(path, Limits())     # a hang here would be the alarm's FileTimeout, not this reason
    assert os.fspath(path) not in opened


def test_a_missing_file_and_a_folder_given_as_a_file(tmp_path):
    assert [f.refused for f in discover([tmp_path / "gone.txt"])] == ["file not found"]
    with pytest.raises(UnreadableFile, match="^file not found$"):
        read_path(tmp_path / "gone.txt")
    with pytest.raises(UnreadableFile, match="^is a directory$"):
        read_path(tmp_path)


# ---- size before bytes ---------------------------------------------------------------------

def test_the_size_is_checked_before_the_file_is_opened_or_hashed(tmp_path, opened):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as f:
        f.truncate(5 << 30)   # 5 GB, sparse: hashing it would take seconds, reading it all memory
    for read in (content_hash, read_path):
        with pytest.raises(UnreadableFile, match=r"^too large: 5120\.0 MB \(limit 50 MB, set FAZHI_MAX_FILE_MB\)$"):
            read(huge, Limits(max_file_mb=50))
    assert str(huge) not in opened


def test_a_file_at_the_limit_is_hashed(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 1000)
    assert content_hash(path, Limits(max_file_mb=1000 / 2**20)) == hashlib.sha256(b"x" * 1000).hexdigest()


# ---- unreadable folders --------------------------------------------------------------------

def test_a_folder_that_cannot_be_listed_is_listed_with_the_reason_and_the_rest_read(tmp_path, monkeypatch):
    # Root reads any folder whatever its mode, so the refusal is the operating system's, stood in for.
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "z").mkdir()
    (tmp_path / "z" / "c.txt").write_text(REPORT, encoding="utf-8")
    deny_listing(monkeypatch, tmp_path / "locked")
    assert listing(tmp_path) == {"a.txt": None, "locked": "cannot read folder: permission denied",
                                 "z/c.txt": None}


# Root reads a folder of any mode: as root, the child runs without that override (setpriv).
UNPRIVILEGED = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"] if os.geteuid() == 0 else []


@pytest.mark.skipif(UNPRIVILEGED and not shutil.which("setpriv"), reason="root without setpriv cannot be refused a "
                    "folder; covered by the test above")
def test_a_folder_of_mode_000_is_listed_with_the_reason(tmp_path):
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "locked").mkdir(mode=0)
    code = ("import json, os, sys; from ingest.read import discover; "
            "print(json.dumps([[os.path.relpath(f.path, sys.argv[1]), f.refused] for f in discover([sys.argv[1]])]))")
    try:
        run = subprocess.run([*UNPRIVILEGED, sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                             text=True, timeout=60, cwd=ROOT)
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert json.loads(run.stdout) == [["a.txt", None], ["locked", "cannot read folder: permission denied"]], run.stderr


def test_folders_nested_deeper_than_the_recursion_limit(tmp_path):
    deep = tmp_path
    for _ in range(300):
        deep = deep / "d"
    deep.mkdir(parents=True)
    (deep / "a.txt").write_text(REPORT, encoding="utf-8")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack(0)) + 100)   # a recursive walk needs 300 frames more
    try:
        found = [f.path for f in discover([tmp_path])]
    finally:
        sys.setrecursionlimit(limit)
    assert found == [deep / "a.txt"]


def test_the_order_is_by_name_depth_first(tmp_path):
    for name in ("b/c.txt", "a.txt", "b.txt", "c/a.txt", "b/a/z.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(REPORT, encoding="utf-8")
    got = [f.path for f in discover([tmp_path])]
    assert got == sorted(p for p in tmp_path.rglob("*") if p.is_file())


# ---- names that are not UTF-8 ----------------------------------------------------------------

def test_a_name_that_is_not_utf8_is_shown_with_its_bytes_escaped():
    assert shown(os.fsdecode(b"/r/bad\xffname\xc3.txt")) == "/r/bad\\xffname\\xc3.txt"
    assert shown("/r/报告 2023.txt") == "/r/报告 2023.txt"          # a UTF-8 name is itself
    assert shown("/r/a\nb\\c.txt") == "/r/a\\x0ab\\\\c.txt"        # always one line; a backslash doubled


@given(st.binary(min_size=1, max_size=40))
def test_shown_names_are_lossless_and_printable(raw):
    name = shown(os.fsdecode(raw))
    name.encode("utf-8")                     # no surrogates: storable and printable
    assert "\n" not in name and "\r" not in name
    assert unshown(name) == raw


def test_a_file_with_such_a_name_is_read_and_its_source_is_the_shown_name(tmp_path):
    path = os.path.join(os.fsencode(tmp_path), b"\xb1\xa8\xb8\xe6.txt")   # 报告 in GBK, not UTF-8
    with open(path, "wb") as f:
        f.write(REPORT.encode("utf-8"))
    [found] = discover([tmp_path])
    assert os.fsencode(found.path) == path and found.refused is None
    doc = read_path(found.path)
    assert doc.source == f"{tmp_path}/\\xb1\\xa8\\xb8\\xe6.txt"
    assert unshown(doc.source) == path


# ---- read by content ---------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("seed", [p.name[:3] for p in SEEDS])
def test_utf16_without_a_byte_order_mark_is_read(seed, encoding):
    text = seed_text(seed)
    expected = parse_bytes(text.encode("utf-8"), "seed.txt")
    parsed = parse_bytes(text.encode(encoding), "seed.txt")
    assert parsed.doc.encoding == encoding
    assert parsed.doc.text == expected.doc.text and len(parsed.metrics) == len(expected.metrics)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_bomless_utf16_of_chinese_alone_is_read(encoding):
    text = "".join(ch for ch in REPORT if ord(ch) >= 0x3000)   # no ASCII: no NUL bytes at all
    assert decode(text.encode(encoding)) == (text, encoding, 0)


@given(st.binary(min_size=8, max_size=3000))
def test_random_bytes_are_not_taken_for_utf16(data):
    try:
        _, encoding, _ = decode(data)
    except ValueError:
        return
    assert not encoding.startswith("utf-16")


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "big5"])
def test_other_encodings_are_not_taken_for_utf16(encoding):
    text = "臺北市政府法治政府建設年度報告，本年度共辦理行政復議案件12件。\n" * 40
    assert decode(text.encode(encoding))[1] == encoding


@pytest.mark.parametrize("name", ["report.pdf", "report.docx", "report.doc", "report.ofd", "report.png"])
def test_text_named_like_another_format_is_read_as_text(name):
    doc = read_bytes(REPORT.encode("utf-8"), name)
    assert doc.file_format == "text"
    assert f"named {name[6:]} but is plain text: read as text" in doc.warnings


@pytest.mark.parametrize("name", ["notes.csv", "data.json"])
def test_text_of_a_type_that_is_no_report_format_is_still_refused(name):
    with pytest.raises(UnreadableFile, match=rf"^unsupported file type \.{name.split('.')[1]}"):
        read_bytes(REPORT.encode("utf-8"), name)
