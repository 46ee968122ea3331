"""Word 97-2003 .doc and WPS .wps (OLE compound files), through LibreOffice (stub: being written)."""
from __future__ import annotations

from .base import Extracted, UnreadableFile

FORMAT = "doc"
SUFFIXES = (".doc", ".wps", ".dot", ".rtf")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes, suffix: str) -> bool:
    return data.startswith((_OLE, b"{\\rtf"))


def read(data: bytes, source: str) -> Extracted:
    raise UnreadableFile("Word 97-2003/WPS reading is not implemented yet")
