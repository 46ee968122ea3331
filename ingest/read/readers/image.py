"""Images of pages (PNG, JPEG, TIFF ...): read by OCR when tesseract with chi_sim is installed."""
from __future__ import annotations

from . import ocr
from .base import Extracted, UnreadableFile
from .pdflayout import drop_running, to_text

FORMAT = "image"
SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp", ".pgm", ".pnm")
_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM", b"P5\n", b"P6\n")


def sniff(data: bytes, suffix: str) -> bool:
    return data.startswith(_MAGIC) or data[:4] == b"RIFF" and data[8:12] == b"WEBP"


def read(data: bytes, source: str) -> Extracted:
    if not ocr.available():
        raise UnreadableFile(f"image file: no text layer ({ocr.INSTALL})")
    try:
        pages = ocr.recognise(data)     # a multi-page TIFF gives several
    except UnreadableFile as exc:
        raise UnreadableFile(f"image file: {exc}") from None
    drop_running(pages)
    return Extracted(to_text(pages), FORMAT, "ocr", {}, [ocr.WARNING], True, len(pages))
