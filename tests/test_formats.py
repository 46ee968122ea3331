"""A folder as it comes off government sites: one report in several files, and files of every
format, each loaded, recorded as another source of a loaded report, or listed with its reason."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from conftest import SEEDS
from ingest.batch import ingest_paths
from ingest.load import engine
from ingest.parse import parse_file
from shapes import as_html_page

pytestmark = pytest.mark.db


def _rows(sql: str, **params):
    with engine().connect() as conn:
        return conn.execute(text(sql), params).all()


def test_one_report_in_many_files_is_loaded_once(fresh_schema, tmp_path):
    seed = SEEDS[2]
    body = seed.read_text(encoding="utf-8")
    (tmp_path / "a_utf8.txt").write_bytes(body.encode("utf-8"))
    (tmp_path / "b_bom.txt").write_bytes(body.encode("utf-8-sig"))
    (tmp_path / "c_gbk.txt").write_bytes(body.encode("gb18030"))
    (tmp_path / "d_utf16.txt").write_bytes(body.encode("utf-16"))
    (tmp_path / "e_crlf_wrapped.txt").write_bytes(body.replace("。", "。\r\n").encode("gb18030"))
    (tmp_path / "f_page.html").write_text(as_html_page(body), encoding="utf-8")
    changed = body.replace("纠错数9件", "纠错数8件")
    assert changed != body
    (tmp_path / "g_other_version.txt").write_text(changed, encoding="utf-8")

    summary = ingest_paths([tmp_path])
    status = {o.source.rsplit("/", 1)[-1]: o.status for o in summary.outcomes}
    assert status == {"a_utf8.txt": "loaded", "b_bom.txt": "alternate", "c_gbk.txt": "alternate",
                      "d_utf16.txt": "alternate", "e_crlf_wrapped.txt": "alternate", "f_page.html": "alternate",
                      "g_other_version.txt": "loaded"}   # one figure changed: another report
    reports = _rows("select report_id, source_path from core.report order by report_id")
    assert [p.rsplit("/", 1)[-1] for _, p in reports] == ["a_utf8.txt", "g_other_version.txt"]
    sources = _rows("""select s.source_path, s.file_format, s.encoding, s.is_primary from core.report_source s
                       where s.report_id = :r order by s.source_id""", r=reports[0][0])
    assert [(p.rsplit("/", 1)[-1], f, e, primary) for p, f, e, primary in sources] == [
        ("a_utf8.txt", "text", "utf-8", True), ("b_bom.txt", "text", "utf-8-sig", False),
        ("c_gbk.txt", "text", "gb18030", False), ("d_utf16.txt", "text", "utf-16", False),
        ("e_crlf_wrapped.txt", "text", "gb18030", False), ("f_page.html", "html", "utf-8", False)]
    # Every figure once: as many metrics as one parse of the seed states.
    n = _rows("select count(*) from core.metric where report_id = :r", r=reports[0][0])[0][0]
    assert n == len(parse_file(seed).metrics) > 10


def test_a_file_loaded_before_is_not_read_again(fresh_schema, tmp_path, monkeypatch):
    for seed in SEEDS[:2]:
        (tmp_path / seed.name).write_bytes(seed.read_bytes())
    assert {o.status for o in ingest_paths([tmp_path]).outcomes} == {"loaded"}

    def never(*args, **kwargs):
        raise AssertionError("a known file was parsed again")

    monkeypatch.setattr("ingest.batch.parse_file", never)
    assert [o.status for o in ingest_paths([tmp_path]).outcomes] == ["present", "present"]


def test_every_file_in_a_folder_is_read_or_listed_with_its_reason(fresh_schema, tmp_path, monkeypatch):
    import struct
    import zipfile

    from docxgen import ole_file, seed_docx

    monkeypatch.setenv("PATH", "/nonexistent")   # no LibreOffice, no tesseract: the reasons name them
    (tmp_path / "report.txt").write_bytes(SEEDS[3].read_bytes())
    (tmp_path / "report.docx").write_bytes(seed_docx(SEEDS[4].read_text(encoding="utf-8")))
    word97 = ole_file({"WordDocument": struct.pack("<HHHHHH", 0xA5EC, 0xC1, 0, 0x0804, 0, 0), "1Table": b"\0"})
    (tmp_path / "notes.csv").write_text("地区,收案\n某区,57\n", encoding="utf-8")
    (tmp_path / "report.ofd").write_bytes(_zip({"OFD.xml": "<ofd:OFD/>"}))
    (tmp_path / "attachments.zip").write_bytes(_zip({"a.txt": "附件"}))
    (tmp_path / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (tmp_path / "old.doc").write_bytes(word97)
    (tmp_path / "old.wps").write_bytes(word97)
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    assert zipfile.is_zipfile(tmp_path / "report.ofd")

    outcomes = {o.source.rsplit("/", 1)[-1]: o for o in ingest_paths([tmp_path]).outcomes}
    assert set(outcomes) == {"report.txt", "report.docx", "notes.csv", "report.ofd", "attachments.zip", "scan.png", "old.doc",
                             "old.wps", ".DS_Store"}
    assert outcomes["report.txt"].status == outcomes["report.docx"].status == "loaded"
    assert (outcomes[".DS_Store"].status, outcomes[".DS_Store"].reason) == ("skipped", "hidden file")
    reasons = {name: o.reason for name, o in outcomes.items() if o.status == "failed"}
    assert reasons["notes.csv"].startswith("unsupported file type .csv")
    assert reasons["report.ofd"].startswith("OFD document: not supported")
    assert reasons["attachments.zip"].startswith("unsupported format: ZIP archive")
    assert reasons["scan.png"].startswith("image file: no text layer")
    assert "LibreOffice" in reasons["old.doc"] and "LibreOffice" in reasons["old.wps"]
    recorded = dict(_rows("select source_path, reason from core.ingest_failure"))
    assert {p.rsplit("/", 1)[-1] for p in recorded} >= set(reasons)


def _zip(files: dict[str, str]) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, content in files.items():
            z.writestr(name, content)
    return buf.getvalue()
