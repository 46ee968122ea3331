"""Read a report file: bytes -> the format's reader -> one cleaned, normalised Document.

The reader for the file's format (`readers/`: text, saved pages, PDF, Word ...) extracts
its text; this step then does what every format needs: controls out, a saved page's footer cut,
whitespace tidied, characters normalised one for one (so offsets stay exact; a page in traditional
characters read in simplified ones, `script.py`), and a file with no
Chinese refused. `UnreadableFile` carries the one-line reason a file is refused.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from . import readers
from .decode import has_cjk, remove_controls
from .files import open_regular, shown
from .limits import Limits, check_size, check_text, unpack_budget
from .normalize import normalize
from .origin import read_origin
from .script import to_simplified
from .readers import html as _html
from .readers.base import Extracted, UnreadableFile

MIN_CJK_CHARS = 1  # one stated figure is worth reading (调解成功率98.5%); no Chinese at all is refused

# Where a saved page's footer begins: everything after is site chrome.
_FOOTER_MARKERS = ("扫一扫在手机打开当前页", "扫一扫在手机上查看当前页面", "【打印本页】", "【关闭窗口】",
                   "相关链接", "网站地图", "版权所有", "主办单位")


@dataclass
class Document:
    source: str
    content_hash: str
    text: str                 # normalised; all offsets index this
    encoding: str
    file_format: str          # the reader's FORMAT: 'text', 'html', 'pdf', 'docx' ...
    context: dict[str, str] = field(default_factory=dict)  # breadcrumb, site name, page meta tags
    warnings: list[str] = field(default_factory=list)     # what reading repaired (bad bytes, controls)
    ocr: bool = False          # text recognised from page images: lower confidence
    pages: int | None = None
    origin: dict[str, str | None] | None = None   # {"url", "page"} from a crawler's sidecar (origin.py)


def read_path(path: str | Path, limits=None) -> Document:
    """Read a regular file; one larger than the size limit (`limits.Limits`, default from the
    environment) is refused before it is opened. Its source is its name as `files.shown` writes it."""
    limits = limits or Limits.from_env()
    try:
        with open_regular(path, limits) as fh:
            data = _read_capped(fh, limits.max_bytes)
        check_size(len(data), limits)
    except OSError as exc:
        raise UnreadableFile(f"cannot read file: {(exc.strerror or str(exc)).lower()}") from None
    doc = read_bytes(data, shown(path), limits=limits)
    doc.origin = read_origin(path, doc.content_hash)
    if doc.origin:   # where it was fetched from outranks what the page says of itself (canonical)
        doc.context["url"] = doc.origin["url"]
    return doc


def _read_capped(fh, limit: int) -> bytes:
    # In chunks: fh.read(limit) would allocate the whole limit up front; a pipe or a file still
    # growing stops one chunk past the limit.
    chunks, size = [], 0
    while size <= limit:
        chunk = fh.read(1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def read_bytes(data: bytes, source: str = "<bytes>", is_html: bool | None = None, limits=None) -> Document:
    """What the reader unpacks and the text it yields are bounded (`limits`, default from the
    environment): counted while it reads, and its text checked after."""
    if not data or data.isspace():
        raise UnreadableFile("empty file")
    limits = limits or Limits.from_env()
    digest = hashlib.sha256(data).hexdigest()
    with unpack_budget(limits):
        reader = _html if is_html else readers.pick(data, source)
        got = reader.read(data, source)
    check_text(got.text, limits)
    return document(got, source, digest)


def document(got: Extracted, source: str, digest: str) -> Document:
    """The common clean-up of whatever a reader extracted."""
    text, controls = remove_controls(got.text)
    warnings = list(got.warnings)
    if controls and got.file_format not in ("text", "html"):   # text readers count their own
        warnings.append(f"removed {controls} control character{'s' * (controls != 1)}")
    text, converted = to_simplified(normalize(text))
    context = got.context
    if converted:
        warnings.append(f"converted {converted:,} character{'s' * (converted != 1)} from traditional to simplified")
        context = {key: to_simplified(value)[0] if value else value for key, value in context.items()}
    text = _tidy(_cut_footer(text))
    if not has_cjk(text, MIN_CJK_CHARS):
        raise UnreadableFile("not a report: no Chinese text")
    return Document(source, digest, text, got.encoding, got.file_format, context, warnings,
                    got.ocr, got.pages)


def _cut_footer(text: str) -> str:
    cut = len(text)
    for marker in _FOOTER_MARKERS:
        idx = text.find(marker)
        # Only a marker in the last part of the page is a footer (主办单位 may appear in the body).
        if idx >= 0 and idx > len(text) * 0.5:
            cut = min(cut, idx)
    # A page whose Chinese is all below the marker keeps it: a footer never holds the whole text.
    return text[:cut] if has_cjk(text[:cut], MIN_CJK_CHARS) else text


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if not line.strip() and out and not out[-1].strip():
            continue
        out.append(line)
    return "\n".join(out).strip() + "\n"
