"""Images of pages (PNG, JPEG, TIFF ...) (stub: being written)."""
from __future__ import annotations

from .base import Extracted, UnreadableFile

FORMAT = "image"
SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp")
_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")


def sniff(data: bytes, suffix: str) -> bool:
    return data.startswith(_MAGIC) or data[:4] == b"RIFF" and data[8:12] == b"WEBP"


def read(data: bytes, source: str) -> Extracted:
    raise UnreadableFile("image file: no text layer")
