"""A folder as it comes off government sites: one report in several files, and files of every
format, each loaded, recorded as another source of a loaded report, or listed with its reason."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from conftest import SEEDS
from fazhi.warehouse import engine
from ingest.load import ingest_paths
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

    summary = ingest_paths(engine(), [tmp_path])
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
    assert {o.status for o in ingest_paths(engine(), [tmp_path]).outcomes} == {"loaded"}

    def never(*args, **kwargs):
        raise AssertionError("a known file was parsed again")

    monkeypatch.setattr("ingest.load.prepare.parse_file", never)
    assert [o.status for o in ingest_paths(engine(), [tmp_path]).outcomes] == ["present", "present"]


def test_every_file_in_a_folder_is_read_or_listed_with_its_reason(fresh_schema, database_url, tmp_path):
    """pdf, docx, doc, wps, ofd, png and more in one folder, through the CLI on a machine without
    LibreOffice or tesseract: each file is loaded or listed with its reason, and exit 1 says some failed."""
    import struct
    import subprocess
    import sys

    from conftest import ROOT
    from docxgen import ole_file, seed_docx, zip_of
    from pdfgen import report_pdf, scanned

    # A report not loaded by the tests above (they loaded every seed): seed 1 with a figure of its own.
    seed = SEEDS[1].read_text(encoding="utf-8")
    cut = seed.index("。", len(seed) // 3) + 1
    own = seed[:cut] + "全年办理法律援助案件1234件。" + seed[cut:]
    word97 = ole_file({"WordDocument": struct.pack("<HHHHHH", 0xA5EC, 0xC1, 0, 0x0804, 0, 0), "1Table": b"\0"})
    files = {
        "report.txt": SEEDS[3].read_bytes(),
        "report.docx": seed_docx(SEEDS[4].read_text(encoding="utf-8")),
        "report.pdf": report_pdf(own),
        "same_report_as_pdf.txt": own.encode("gb18030"),
        "scan.pdf": scanned(report_pdf(SEEDS[0].read_text(encoding="utf-8")[:600])),
        "old.doc": word97,
        "old.wps": word97,
        "report.ofd": zip_of({"OFD.xml": "<ofd:OFD/>"}),
        "attachments.zip": zip_of({"a.txt": "附件"}),
        "scan.png": b"\x89PNG\r\n\x1a\n" + bytes(200),
        "notes.csv": "地区,收案\n某区,57\n".encode(),
        ".DS_Store": b"\x00\x00\x00\x01Bud1",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    # No LibreOffice, no tesseract on PATH: the reasons name what to install.
    env = {"PATH": "/nonexistent", "DATABASE_URL": database_url, "COLUMNS": "250", "HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "-m", "fazhi", "ingest", str(tmp_path)], cwd=ROOT, text=True,
                         check=False, capture_output=True, env=env)
    assert run.returncode == 1, run.stderr[-2000:]
    shown = run.stdout + run.stderr
    assert "Traceback" not in shown

    status = {p.rsplit("/", 1)[-1]: (fmt, primary)
              for p, fmt, primary in _rows("select source_path, file_format, is_primary from core.report_source "
                                           "where source_path like :d", d=f"{tmp_path}/%")}
    assert status == {"report.txt": ("text", True), "report.docx": ("docx", True), "report.pdf": ("pdf", True),
                      "same_report_as_pdf.txt": ("text", False)}
    reasons = {p.rsplit("/", 1)[-1]: r for p, r in _rows("select source_path, reason from core.ingest_failure "
                                                         "where source_path like :d", d=f"{tmp_path}/%")}
    expected = {"scan.pdf": "scanned PDF: no text layer (install tesseract-ocr and tesseract-ocr-chi-sim",
                "old.doc": "Word 97-2003 document (.doc): LibreOffice is needed to read it",
                "old.wps": "WPS Writer document (.wps): LibreOffice is needed to read it",
                "report.ofd": "OFD document: not supported",
                "attachments.zip": "unsupported format: ZIP archive",
                "scan.png": "image file: no text layer",
                "notes.csv": "unsupported file type .csv"}
    assert set(reasons) == set(expected)
    for name, start in expected.items():
        assert reasons[name].startswith(start), (name, reasons[name])
        assert name in shown   # listed in the summary with its reason
    assert "skipped 1 hidden file" in shown and ".DS_Store" in shown
