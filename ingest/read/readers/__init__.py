"""One reader per file format behind the one read step (`ingest.read`).

A reader is a module with
  FORMAT    its name, stored as report.format ('pdf', 'docx' ...)
  SUFFIXES  the file suffixes a folder is scanned for
  sniff(data, suffix) -> bool   whether these bytes (and suffix) are its format; cheap, looks
                                at the leading bytes or a zip's file list
  read(data, source) -> Extracted
The content decides, not the name: a PDF saved as .txt is read as a PDF. To add a format, write
its module and list it in READERS; the first reader whose sniff accepts a file reads it.
"""
from __future__ import annotations

from pathlib import Path
from types import ModuleType

from . import docx, html, image, ofd, office, pdf, text
from .base import Extracted, UnreadableFile

READERS: tuple[ModuleType, ...] = (pdf, docx, ofd, office, image, html, text)  # text accepts the rest

# Formats recognised only to say why they are not read.
_OTHER = ((b"Rar!", "RAR archive: unpack it and read the files inside"),
          (b"7z\xbc\xaf\x27\x1c", "7-Zip archive: unpack it and read the files inside"),
          (b"\x1f\x8b", "gzip archive: unpack it and read the files inside"),
          (b"PK\x03\x04", "ZIP archive (not a Word or OFD document): unpack it and read the files inside"),
          (b"\x7fELF", "executable file, not a report"))

SUFFIXES: frozenset[str] = frozenset(s for r in READERS for s in r.SUFFIXES)

__all__ = ["READERS", "SUFFIXES", "Extracted", "UnreadableFile", "pick", "read"]


def pick(data: bytes, source: str) -> ModuleType:
    suffix = Path(source).suffix.lower()
    for reader in READERS:
        if reader.sniff(data, suffix):
            break
    if reader in (html, text):   # the readers that go by name: a known binary is refused by its name
        for magic, reason in _OTHER:
            if data.startswith(magic):
                raise UnreadableFile(f"unsupported format: {reason}")
    return reader


def read(data: bytes, source: str) -> Extracted:
    return pick(data, source).read(data, source)
