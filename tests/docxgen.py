"""Word documents built for the tests with python-docx, so no binary fixture is committed.

`seed_docx(text, title)` turns a seed report into a .docx as a government office would write it:
the title a heading, every other line a paragraph, and list lines (一、 （一） 1. （1）) real Word
numbered paragraphs: the number is removed from the text and defined in numbering.xml, so a
reader that does not regenerate it loses the measures. `Builder` makes the smaller documents of
the unit tests (numbering formats, tables, revisions, fields).
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

import docx
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

_CN = "一二三四五六七八九十"
# (level, pattern): the list numbers measures are split on, outermost first.
LIST_LINE = [
    (0, re.compile(rf"^()([{_CN}]{{1,3}})(、)")),
    (1, re.compile(rf"^([(（])([{_CN}]{{1,3}})([)）])")),
    (2, re.compile(r"^()(\d{1,2})([、．]|\.(?!\d))")),
    (3, re.compile(r"^([(（])(\d{1,2})([)）])")),
]
FORMATS = {0: "chineseCounting", 1: "chineseCounting", 2: "decimal", 3: "decimal"}


@dataclass
class Lvl:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    suffix: str = "nothing"
    restart: int | None = None
    legal: bool = False


class Builder:
    """A python-docx document plus the numbering definitions and raw XML the tests need."""

    def __init__(self):
        self.doc = docx.Document()
        self.numbering = self.doc.part.numbering_part.element
        self._next_abstract = 100
        self._next_num = 100

    def abstract(self, levels: list[Lvl]) -> int:
        aid = self._next_abstract
        self._next_abstract += 1
        lvls = "".join(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="{lv.start}"/><w:numFmt w:val="{lv.fmt}"/>'
            + (f'<w:lvlRestart w:val="{lv.restart}"/>' if lv.restart is not None else "")
            + ('<w:isLgl/>' if lv.legal else "")
            + f'<w:suff w:val="{lv.suffix}"/><w:lvlText w:val="{lv.text}"/><w:lvlJc w:val="left"/></w:lvl>'
            for i, lv in enumerate(levels))
        el = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{aid}">'
                       f'<w:multiLevelType w:val="multilevel"/>{lvls}</w:abstractNum>')
        first_num = self.numbering.find(qn("w:num"))
        if first_num is None:
            self.numbering.append(el)
        else:
            first_num.addprevious(el)   # the schema wants every abstractNum before the nums
        return aid

    def num(self, abstract: int, starts: dict[int, int] | None = None) -> int:
        nid = self._next_num
        self._next_num += 1
        overrides = "".join(f'<w:lvlOverride w:ilvl="{lvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
                            for lvl, start in (starts or {}).items())
        self.numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{nid}">'
                                        f'<w:abstractNumId w:val="{abstract}"/>{overrides}</w:num>'))
        return nid

    def paragraph(self, text: str = "", num: tuple[int, int] | None = None, style: str | None = None):
        p = self.doc.add_paragraph(text, style=style)
        if num is not None:
            set_numbering(p, *num)
        return p

    def heading(self, text: str, level: int = 1):
        return self.doc.add_heading(text, level=level)

    def raw(self, body_xml: str):
        """A paragraph from raw WordprocessingML (runs, revisions, fields) inside <w:p>."""
        p = parse_xml(f'<w:p {nsdecls("w")} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
                      f'xmlns:v="urn:schemas-microsoft-com:vml">{body_xml}</w:p>')
        self.doc.element.body.insert(len(self.doc.element.body) - 1, p)   # before the final sectPr
        return p

    def table(self, rows: list[list[str]], merges: list[tuple[int, int, int, int]] = ()):
        """A table of the given cell texts; each merge (row, col, row2, col2) joins a rectangle,
        its text that of its top-left cell."""
        table = self.doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        table.style = "Table Grid"
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                table.cell(i, j).text = text
        for r1, c1, r2, c2 in merges:
            keep = table.cell(r1, c1).text
            merged = table.cell(r1, c1).merge(table.cell(r2, c2))
            merged.text = keep
        return table

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def set_numbering(p, num_id: int, ilvl: int) -> None:
    ppr = p._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", ilvl), ("w:numId", num_id)):
        el = OxmlElement(tag)
        el.set(qn("w:val"), str(value))
        num_pr.append(el)
    style = ppr.find(qn("w:pStyle"))
    if style is not None:
        style.addnext(num_pr)
    else:
        ppr.insert(0, num_pr)


def _chinese_value(s: str) -> int:
    digits = {c: i + 1 for i, c in enumerate(_CN[:9])}
    if s == "十":
        return 10
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (digits.get(tens, 1) if tens else 1) * 10 + (digits[ones] if ones else 0)
    return digits[s]


def list_number(line: str) -> tuple[int, int, str, str, str] | None:
    """(level, value, prefix, suffix, rest) of a line that starts with a list number."""
    for level, pattern in LIST_LINE:
        m = pattern.match(line)
        if m:
            value = int(m.group(2)) if m.group(2).isdigit() else _chinese_value(m.group(2))
            return level, value, m.group(1), m.group(3), line[m.end():].lstrip()
    return None


def seed_docx(text: str, title: str | None = None, table: list[list[str]] | None = None) -> bytes:
    """The seed report as a .docx with real numbered lists (see the module docstring). Each
    level's lvlText copies the seed's first number of that level ((一) or （一）); a number out
    of sequence starts a list whose startOverride gives it, so the reader must honour those."""
    b = Builder()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    templates: dict[int, str] = {}
    for line in lines:
        found = list_number(line)
        if found and found[0] not in templates:
            templates[found[0]] = f"{found[2]}%{found[0] + 1}{found[3]}"
    abstract = b.abstract([Lvl(FORMATS[i], templates.get(i, f"%{i + 1}."), 1) for i in range(4)])
    num = b.num(abstract)
    counters: list[int | None] = [None] * 4
    for line in lines:
        if title and line == title:
            b.heading(line)
            title = None
            continue
        found = list_number(line)
        if not found or not found[4]:
            b.paragraph(line)
            continue
        level, value, _, _, rest = found
        expected = 1 if counters[level] is None else counters[level] + 1
        if value != expected:
            # Restart the list at this number: every level above continues where it was.
            starts = {lv: (1 if counters[lv] is None else counters[lv] + 1) for lv in range(level)}
            starts[level] = value
            num = b.num(abstract, starts)
        counters[level] = value
        counters[level + 1:] = [None] * (3 - level)
        b.paragraph(rest, num=(num, level))
    if table:
        b.table(table)
    return b.bytes()


def ole_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE compound file (version 3, 512-byte sectors) holding the given streams, each
    padded to the 4096-byte mini-stream cutoff so that all live in ordinary sectors: enough for
    the readers to tell a .doc from an .xls or an encrypted .docx without a real Office file."""
    import struct

    end, free, fat_sect, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    datas = [streams[n].ljust(4096, b"\0") for n in names]
    dir_sectors = (len(names) + 1 + 3) // 4
    chains: list[list[int]] = []
    nxt = 1 + dir_sectors
    for data in datas:
        count = len(data) // 512 + (len(data) % 512 > 0)
        chains.append(list(range(nxt, nxt + count)))
        nxt += count
    fat = [free] * 128
    fat[0] = fat_sect
    for chain in [list(range(1, 1 + dir_sectors)), *chains]:
        for a, b in zip(chain, chain[1:] + [end]):
            fat[a] = b
    assert nxt <= 128, "one FAT sector is enough for a test file"

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = name.encode("utf-16-le") + b"\0\0"
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", nostream, right, child) + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
                + struct.pack("<IQ", start, size))

    entries = [entry("Root Entry", 5, 1 if names else nostream, nostream, end, 0)]
    for i, (name, data) in enumerate(zip(names, datas)):
        entries.append(entry(name, 2, nostream, i + 2 if i + 1 < len(names) else nostream, chains[i][0], len(data)))
    directory = b"".join(entries).ljust(dir_sectors * 512, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<109I", 0, *[free] * 108))
    body = struct.pack("<128I", *fat) + directory + b"".join(d.ljust(len(c) * 512, b"\0") for d, c in zip(datas, chains))
    return header + body


def zip_of(files: dict[str, str]) -> bytes:
    """A zip holding these text files: the shape of .docx, .ofd and plain archives."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return out.getvalue()
