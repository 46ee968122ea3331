"""Decompression and amplification bombs for the tests and bench/bench_bombs.py: small files that
unpack, or render, to far more than their size. Built on the fly (deflate level 9), never committed.

`docx_bomb(mb)`      a valid .docx whose word/document.xml is `mb` MB of repeated report paragraphs
`liar_docx(mb)`      the same, its zip headers claiming document.xml is 1 KB
`merge_docx(rows)`   a small .docx whose table fills one long cell down `rows` rows (vMerge)
`span_html(rows)`    a small page whose table spreads one long cell over 50 x 50 cells
`flate_pdf(mb)`      a PDF whose one page's content stream inflates to `mb` MB of text operators
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
          'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
          'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
          'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.'
          'main+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
         '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
HEAD = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'
TAIL = "</w:body></w:document>"
TITLE = "某县2023年法治政府建设年度报告"
PARA = "<w:p><w:r><w:t>全县办理行政复议案件12件，纠错3件。</w:t></w:r></w:p>"


def _package(write_document) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", _TYPES)
        zf.writestr("_rels/.rels", _RELS)
        with zf.open("word/document.xml", "w") as out:
            write_document(out)
    return buf.getvalue()


def docx_bomb(mb: float) -> bytes:
    """About `mb` MB of document.xml (written in 1 MB blocks: the builder never holds it whole)."""
    block = (PARA * (2**20 // len(PARA.encode()))).encode()

    def write(out):
        out.write((HEAD + f"<w:p><w:r><w:t>{TITLE}</w:t></w:r></w:p>").encode())
        for _ in range(int(mb)):
            out.write(block)
        out.write(TAIL.encode())
    return _package(write)


def liar_docx(mb: float) -> bytes:
    """A docx bomb whose local and central headers both say document.xml unpacks to 1,000 bytes."""
    data = bytearray(docx_bomb(mb))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    struct.pack_into("<I", data, info.header_offset + 22, 1000)         # local header
    central = data.find(b"PK\x01\x02")
    while data[central + 46:central + 63] != b"word/document.xml":
        central = data.find(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 24, 1000)                    # central directory
    return bytes(data)


def merge_docx(rows: int, cell_chars: int = 100_000) -> bytes:
    """A table whose first row holds a cell of `cell_chars` characters that `rows` vMerge
    continuation cells fill down: about rows x cell_chars characters of text from a few KB."""
    long = "依法行政" * (cell_chars // 4)
    first = (f'<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>{long}</w:t></w:r></w:p></w:tc>'
             '<w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr>')
    cont = ('<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>'
            '<w:tc><w:p><w:r><w:t>2</w:t></w:r></w:p></w:tc></w:tr>')

    def write(out):
        out.write((HEAD + f"<w:p><w:r><w:t>{TITLE}</w:t></w:r></w:p>{PARA}<w:tbl>{first}").encode())
        for _ in range(rows):
            out.write(cont.encode())
        out.write(("</w:tbl>" + TAIL).encode())
    return _package(write)


def span_html(tables: int, cell_chars: int = 20_000) -> bytes:
    """`tables` tables each spreading one cell of `cell_chars` characters over 50 columns and 50
    rows: 2,500 copies of it per table."""
    long = "依法行政" * (cell_chars // 4)
    table = (f'<table><tr><td colspan="50" rowspan="50">{long}</td><td>1</td></tr>'
             + "<tr><td>2</td></tr>" * 49 + "</table>")
    return (f"<html><body><h1>{TITLE}</h1><p>全县办理行政复议案件12件。</p>" + table * tables
            + "</body></html>").encode()


def flate_pdf(mb: float, lines: int = 0) -> bytes:
    """One page whose Flate content stream inflates to about `mb` MB of text-showing operators
    (all at one place), or shows `lines` lines of 64 characters, each at a place of its own."""
    if lines:
        text = b"(" + b"Report 12 cases " * 4 + b")"
        stream = zlib.compress(b"".join(b"BT /F1 1 Tf %d %d Td %s Tj ET\n" % (20 + 40 * (i % 14), 20 + i // 14, text)
                                        for i in range(lines)), 9)
    else:
        line = b"BT /F1 12 Tf 72 720 Td (Report 12 cases) Tj ET\n"
        comp = zlib.compressobj(9)
        chunks = [comp.compress(line * (2**20 // len(line))) for _ in range(int(mb))]
        stream = b"".join(chunks) + comp.flush()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
             b"/Contents 4 0 R >>"),
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)
