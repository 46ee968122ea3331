"""PDF: the text layer, in reading order (stub: being written)."""
from __future__ import annotations

from .base import Extracted, UnreadableFile

FORMAT = "pdf"
SUFFIXES = (".pdf",)


def sniff(data: bytes, suffix: str) -> bool:
    return b"%PDF-" in data[:1024]   # some writers put junk before the header; readers allow 1 KB


def read(data: bytes, source: str) -> Extracted:
    raise UnreadableFile("PDF reading is not implemented yet")
