"""Word .docx (Office Open XML): the body's text in reading order, lists with their numbers.

Paragraphs one per line (w:br a line break, a tab a space), tracked deletions skipped and
insertions kept, a field's displayed result kept and its code dropped, a text box's text once
(after its paragraph), tables rendered row by row as for saved pages (`docx_table`). Headers,
footers, footnotes and comments are other parts of the package and are not read: page furniture.
A table of contents (a TOC field's result) is left out too: it repeats the headings (一、…) with
page numbers, which would read as a second set of measures.
"""
from __future__ import annotations

import io
import posixpath
import zipfile
import zlib

from . import inflate, ole
from .base import Extracted, UnreadableFile
from .docx_numbering import Numbering, parse_numbering
from .docx_table import render_table

FORMAT = "docx"
SUFFIXES = (".docx", ".docm", ".dotx")
_MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"
# Elements whose content is never shown: deletions, field codes, properties, note references.
_SKIP = frozenset({"del", "moveFrom", "delText", "delInstrText", "rPr", "pPr", "sectPr", "tblPr", "trPr",
                   "tcPr", "footnoteReference", "endnoteReference", "commentReference", "annotationRef",
                   "rt", "Fallback", "proofErr", "bookmarkStart", "bookmarkEnd", "lastRenderedPageBreak",
                   "object", "softHyphen", "commentRangeStart", "commentRangeEnd", "permStart", "permEnd"})


def sniff(data: bytes, suffix: str) -> bool:
    if data.startswith(ole.MAGIC):
        return ole.encrypted_package(data)   # a password-protected .docx is an OLE file
    if not data.startswith(b"PK\x03\x04"):
        return False
    names = _names(data)
    if "word/document.xml" in names:
        return True
    if not names:   # no readable zip directory: a damaged or truncated download
        return suffix in SUFFIXES or b"word/document.xml" in data
    return suffix in SUFFIXES and "OFD.xml" not in names


def _names(data: bytes) -> set[str]:
    try:
        return set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return set()


def read(data: bytes, source: str) -> Extracted:
    with inflate.budget():
        return _read(data, source)


def _read(data: bytes, source: str) -> Extracted:
    if data.startswith(ole.MAGIC):
        raise UnreadableFile(_encrypted(posixpath.splitext(source)[1].lower()))
    zf = _open(data)
    names = set(zf.namelist())
    if "word/document.xml" not in names:
        raise UnreadableFile(_not_word(names))
    root = _xml(zf, "word/document.xml")
    w = root.tag[:root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    parts = _related(zf, names)
    styles = _Styles(_xml(zf, parts["styles"]) if "styles" in parts else None, w)
    numbering = parse_numbering(_xml(zf, parts["numbering"]) if "numbering" in parts else None, w,
                                styles.numbering_styles)
    body = root.find(f"{w}body")
    if body is None:
        raise UnreadableFile("damaged Word document: word/document.xml has no body")
    walker = _Walker(w, styles, numbering)
    try:
        lines = walker.blocks(body)
    except RecursionError:
        raise UnreadableFile("damaged Word document: elements nested too deeply") from None
    context, pages = _properties(zf, names)
    warnings = [f"{walker.skipped} embedded document part{'s' * (walker.skipped != 1)} (altChunk) not read"] \
        if walker.skipped else []
    return Extracted("\n".join(lines), FORMAT, "docx xml", context, warnings, pages=pages)


def _encrypted(suffix: str) -> str:
    if suffix in (".xlsx", ".xlsm", ".xls", ".et"):
        return "encrypted spreadsheet, not a report document"
    return "encrypted Word document: remove the password and save again"


def _not_word(names: set[str]) -> str:
    if any(n.startswith("xl/") for n in names):
        return "spreadsheet, not a report document (Excel .xlsx)"
    if any(n.startswith("ppt/") for n in names):
        return "presentation, not a report document (PowerPoint .pptx)"
    return "not a Word document: the zip has no word/document.xml"


def _open(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise UnreadableFile(f"damaged Word document: not a complete zip file ({exc})") from None


def _xml(zf: zipfile.ZipFile, name: str):
    """The part parsed as it is inflated (streamed through the file's budget, `inflate`): never
    held whole as bytes, and refused at the first megabyte past the limit."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_comments=True,
                             remove_pis=True)
    try:
        for chunk in inflate.chunks(zf, name):
            parser.feed(chunk)
        return parser.close()
    except etree.XMLSyntaxError as exc:
        raise UnreadableFile(f"damaged Word document: {name} is not well-formed XML ({exc})") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, KeyError) as exc:
        raise UnreadableFile(f"damaged Word document: cannot unpack {name} ({exc})") from None
    except (NotImplementedError, RuntimeError) as exc:   # unknown compression, an encrypted zip entry
        raise UnreadableFile(f"damaged Word document: cannot unpack {name} ({exc})") from None


def _related(zf: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """The styles and numbering parts, as the document's relationships name them."""
    found = {kind: f"word/{kind}.xml" for kind in ("styles", "numbering") if f"word/{kind}.xml" in names}
    if "word/_rels/document.xml.rels" not in names:
        return found
    try:
        rels = _xml(zf, "word/_rels/document.xml.rels")
    except inflate.TooLarge:
        raise
    except UnreadableFile:
        return found
    for rel in rels:
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        target = rel.get("Target") or ""
        if kind in ("styles", "numbering") and rel.get("TargetMode") != "External":
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"word/{target}")
            if path in names:
                found[kind] = path
    return found


def _properties(zf: zipfile.ZipFile, names: set[str]) -> tuple[dict[str, str], int | None]:
    """docProps/core.xml's title, creator and dates (doc:title ...), and app.xml's page count."""
    context: dict[str, str] = {}
    pages = None
    for part, wanted in (("docProps/core.xml", ("title", "creator", "created", "modified")),
                         ("docProps/app.xml", ("Pages",))):
        if part not in names:
            continue
        try:
            root = _xml(zf, part)
        except inflate.TooLarge:
            raise
        except UnreadableFile:
            continue   # damaged properties do not make the body unreadable
        for el in root:
            name = _local(el)
            value = (el.text or "").strip() if name in wanted else ""
            if not value:
                continue
            if name == "Pages":
                pages = int(value) if value.isdigit() and int(value) > 0 else None
            else:
                context[f"doc:{name}"] = value
    return context, pages


def _local(el) -> str:
    tag = el.tag
    return tag[tag.rfind("}") + 1:] if isinstance(tag, str) else ""


class _Styles:
    """Paragraph styles' list numbering (pStyle numPr), through the basedOn chain."""

    def __init__(self, root, w: str):
        self.w = w
        self.based: dict[str, str] = {}
        self.num: dict[str, tuple[str | None, int | None]] = {}
        self.numbering_styles: dict[str, str] = {}
        self.default: str | None = None
        if root is None:
            return
        for style in root.iter(f"{w}style"):
            sid = style.get(f"{w}styleId")
            based = style.find(f"{w}basedOn")
            if based is not None:
                self.based[sid] = based.get(f"{w}val")
            num_pr = style.find(f"{w}pPr/{w}numPr")
            if num_pr is not None:
                num_id = _attr(num_pr.find(f"{w}numId"), w)
                ilvl = _attr(num_pr.find(f"{w}ilvl"), w)
                self.num[sid] = (num_id, int(ilvl) if ilvl and ilvl.isdigit() else None)
                if style.get(f"{w}type") == "numbering" and num_id:
                    self.numbering_styles[sid] = num_id
            if style.get(f"{w}type") == "paragraph" and style.get(f"{w}default") in ("1", "true", "on"):
                self.default = sid

    def numbering(self, style: str | None) -> tuple[str | None, int | None]:
        num_id, ilvl, seen = None, None, set()
        while style and style not in seen and len(seen) < 50:
            seen.add(style)
            s_num, s_lvl = self.num.get(style, (None, None))
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_lvl
            style = self.based.get(style)
        return num_id, ilvl


def _attr(el, w: str) -> str | None:
    return None if el is None else el.get(f"{w}val")


class _Walker:
    """One pass through the body in order: list counters and open fields run across paragraphs."""

    def __init__(self, w: str, styles: _Styles, numbering: Numbering):
        self.w, self.styles, self.numbering = w, styles, numbering
        self.fields: list[list] = []    # open fields: [state, instruction]; state code/shown/hidden
        self.skipped = 0

    def blocks(self, container) -> list[str]:
        """The lines of a body, cell, text box or content control."""
        out: list[str] = []
        for el in container:
            name = _local(el)
            if name == "p":
                out += self.paragraph(el)
            elif name == "tbl":
                table = render_table(el, self)
                if table:
                    out += ["", table, ""]
            elif name in ("sdt", "sdtContent", "customXml", "ins", "moveTo", "smartTag"):
                out += self.blocks(el)
            elif name == "AlternateContent":
                choice = next((c for c in el if _local(c) == "Choice"), None)
                out += self.blocks(choice) if choice is not None else []
            elif name == "altChunk":
                self.skipped += 1
        return out

    def paragraph(self, p) -> list[str]:
        parts: list[str] = []
        boxes: list[str] = []
        self._inline(p, parts, boxes)
        lines = [line.strip(" \t\u3000") for line in "".join(parts).split("\n")]
        text = "\n".join(lines).strip("\n")
        number, sep = self._number(p)
        if not text:
            return boxes
        if number:   # a list number is numbering.xml's text, repeated on every paragraph
            inflate.current().add_text(len(number) + len(sep))
        return [number + sep + text if number else text, *boxes]

    def _number(self, p) -> tuple[str, str]:
        w = self.w
        ppr = p.find(f"{w}pPr")
        num_pr = ppr.find(f"{w}numPr") if ppr is not None else None
        direct_num = _attr(num_pr.find(f"{w}numId"), w) if num_pr is not None else None
        direct_lvl = _attr(num_pr.find(f"{w}ilvl"), w) if num_pr is not None else None
        style = _attr(ppr.find(f"{w}pStyle"), w) if ppr is not None else None
        style = style or self.styles.default
        s_num, s_lvl = self.styles.numbering(style)
        num_id = direct_num if direct_num is not None else s_num
        if not num_id or num_id == "0":
            return "", ""
        if direct_lvl is not None and direct_lvl.isdigit():
            ilvl = int(direct_lvl)
        elif s_lvl is not None:
            ilvl = s_lvl
        else:
            linked = self.numbering.level_of_style(num_id, style) if style else None
            ilvl = linked if linked is not None else 0
        return self.numbering.render(num_id, min(ilvl, 8))

    def _inline(self, el, parts: list[str], boxes: list[str]) -> None:
        w = self.w
        for child in el:
            name = _local(child)
            if not name or name in _SKIP:
                continue
            if name == "r" and self._hidden(child):
                for mark in child.iter(f"{w}fldChar"):
                    self._field(mark)
                continue
            if name == "fldChar":
                self._field(child)
            elif name == "instrText":
                if self.fields and self.fields[-1][0] == "code":
                    self.fields[-1][1] += child.text or ""
            elif self.fields and any(f[0] != "shown" for f in self.fields):
                if name in ("r", "hyperlink", "ins", "moveTo", "smartTag", "sdt", "sdtContent", "customXml",
                            "fldSimple", "AlternateContent", "Choice"):
                    self._inline(child, parts, boxes)   # only to follow the field's marks
            elif name == "t":
                if child.tag in (f"{w}t", f"{{{_MATH}}}t"):
                    parts.append(child.text or "")
            elif name in ("tab", "ptab"):
                parts.append(" ")
            elif name in ("br", "cr"):
                parts.append("\n")
            elif name == "noBreakHyphen":
                parts.append("-")
            elif name == "sym":
                parts.append(_symbol(child.get(f"{w}char")))
            elif name == "txbxContent":
                boxes += self.blocks(child)
            elif name == "AlternateContent":
                choice = next((c for c in child if _local(c) == "Choice"), None)
                if choice is not None:
                    self._inline(choice, parts, boxes)
            else:   # runs, hyperlinks, insertions, content controls, simple fields, drawings
                self._inline(child, parts, boxes)

    def _hidden(self, run) -> bool:
        vanish = run.find(f"{self.w}rPr/{self.w}vanish")
        return vanish is not None and _attr(vanish, self.w) not in ("0", "false", "off")

    def _field(self, mark) -> None:
        kind = mark.get(f"{self.w}fldCharType")
        if kind == "begin":
            self.fields.append(["code", ""])
        elif kind == "separate" and self.fields:
            field = self.fields[-1]
            field[0] = "hidden" if field[1].strip().upper().startswith("TOC") else "shown"
        elif kind == "end" and self.fields:
            self.fields.pop()


def _symbol(code: str | None) -> str:
    """A w:sym character; Symbol-font glyphs in the private-use area (F020-F0FF) are dropped."""
    try:
        ch = chr(int(code or "", 16))
    except ValueError:
        return ""
    return "" if "\ue000" <= ch <= "\uf8ff" else ch
