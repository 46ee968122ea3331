"""What every format reader returns, the one way a file is refused, and what the readers share:
the time left of the file's budget, programs on the PATH, and decoding a text format's bytes.

A reader turns a file's bytes into `Extracted`: the text as the file shows it, before fazhi's
common clean-up (controls, footer, whitespace, character normalisation in `document.py`). Tables are
rendered one row per line, cells joined by " | ", with a blank line before and after the table,
so that `extract.tables` can read a row's cells and headers and quote the row as evidence.
"""
from __future__ import annotations

import shutil
import signal
from dataclasses import dataclass, field

from ..decode import DecodeError, decode, remove_controls


class UnreadableFile(Exception):
    """The file is not a readable report; str(exc) is the one-line reason."""


@dataclass
class Extracted:
    text: str
    file_format: str                  # 'text', 'html', 'pdf', 'docx', 'doc', 'wps' ...
    encoding: str = "utf-8"           # the text's encoding, or how it was obtained ('libreoffice', 'ocr');
                                      # at most 16 characters (report.encoding)
    context: dict[str, str] = field(default_factory=dict)   # page meta tags, document properties
    warnings: list[str] = field(default_factory=list)       # what reading repaired or doubts
    ocr: bool = False                 # recognised from images: lower confidence
    pages: int | None = None


def seconds_left(default: float = 300.0) -> float:
    """What remains of the per-file time budget (limits.time_budget), for a reader that waits on
    a subprocess (LibreOffice, tesseract) which SIGALRM cannot interrupt."""
    if hasattr(signal, "getitimer"):
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        if left > 0:
            return left
    return default


def which(program: str) -> str | None:
    return shutil.which(program)


def decode_text(data: bytes) -> tuple[str, str, list[str]]:
    """(text without control characters, encoding, warnings about what was repaired)."""
    try:
        text, encoding, replaced = decode(data)
    except DecodeError as exc:
        raise UnreadableFile(str(exc)) from None
    # Controls go before anything else reads the text: NUL cannot be stored, and the page
    # renderer uses control characters as its own marks.
    text, controls = remove_controls(text)
    if not text.strip("\ufeff \t\r\n\u3000"):
        raise UnreadableFile("empty file")  # a byte-order mark or only controls: nothing was written
    warnings = [f"replaced {replaced} undecodable byte{'s' * (replaced != 1)}"] if replaced else []
    if controls:
        warnings.append(f"removed {controls} control character{'s' * (controls != 1)}")
    return text, encoding, warnings
