"""OFD (GB/T 33190, China's fixed-layout format): recognised and refused with a reason."""
from __future__ import annotations

from .base import Extracted, UnreadableFile
from .docx import _names

FORMAT = "ofd"
SUFFIXES = (".ofd",)


def sniff(data: bytes, suffix: str) -> bool:
    return data.startswith(b"PK\x03\x04") and (suffix == ".ofd" or "OFD.xml" in _names(data))


def read(data: bytes, source: str) -> Extracted:
    raise UnreadableFile("OFD document: not supported (no maintained OFD text reader for Python); "
                         "export it to PDF, e.g. with the issuer's OFD reader, and read that")
