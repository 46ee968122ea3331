"""Word .docx (Office Open XML) (stub: being written)."""
from __future__ import annotations

import io
import zipfile

from .base import Extracted, UnreadableFile

FORMAT = "docx"
SUFFIXES = (".docx", ".docm", ".dotx")


def sniff(data: bytes, suffix: str) -> bool:
    return data.startswith(b"PK\x03\x04") and "word/document.xml" in _names(data)


def _names(data: bytes) -> set[str]:
    try:
        return set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return set()


def read(data: bytes, source: str) -> Extracted:
    raise UnreadableFile("DOCX reading is not implemented yet")
