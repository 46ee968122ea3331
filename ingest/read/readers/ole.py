"""What an OLE compound file (.doc, .wps, .xls, .et, .ppt, an encrypted .docx) holds, from its
directory alone: enough to name the format or refuse it, without an OLE library."""
from __future__ import annotations

import struct

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_KNOWN = ("WordDocument", "Workbook", "Book", "PowerPoint Document", "EncryptionInfo", "EncryptedPackage")


def streams(data: bytes) -> dict[str, int]:
    """Known stream name -> its first sector. Directory entries are 128 bytes and every sector
    starts at a multiple of 128, so an entry is where its UTF-16 name stands at such an offset
    with the matching name length and the stream type: no FAT walk, and text that merely
    mentions a name is not taken for it."""
    found: dict[str, int] = {}
    if not data.startswith(MAGIC):
        return found
    for name in _KNOWN:
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        pos = data.find(encoded, 512)
        while pos >= 0:
            if pos % 128 == 0 and pos + 128 <= len(data) and \
                    struct.unpack_from("<H", data, pos + 64)[0] == len(encoded) and data[pos + 66] == 2:
                found[name] = struct.unpack_from("<I", data, pos + 116)[0]
                break
            pos = data.find(encoded, pos + 1)
    return found


def encrypted_package(data: bytes) -> bool:
    """A password-protected .docx/.xlsx: an OLE file holding the encrypted package."""
    return "EncryptedPackage" in streams(data)


def doc_encrypted(data: bytes, sector: int) -> bool:
    """The FIB's fEncrypted flag at the start of a .doc's WordDocument stream (never in the mini
    stream: Word pads the stream past the 4096-byte cutoff)."""
    shift = struct.unpack_from("<H", data, 30)[0] if len(data) >= 32 else 9
    offset = (sector + 1) << shift if shift in (9, 12) else -1
    if offset < 0 or offset + 12 > len(data):
        return False
    ident, flags = struct.unpack_from("<H", data, offset)[0], struct.unpack_from("<H", data, offset + 10)[0]
    return ident == 0xA5EC and bool(flags & 0x0100)
