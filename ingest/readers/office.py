"""Word 97-2003 .doc, Kingsoft WPS Writer .wps and .rtf, read by converting them with LibreOffice
to .docx and reading that (`docx`): no maintained pure-Python reader handles these formats well.

An OLE compound file is told apart by its directory: WordDocument (Word and WPS Writer),
Workbook/Book (Excel, WPS 表格 .et), PowerPoint Document (PowerPoint, WPS 演示 .dps). Only
documents are converted; a password-protected one is refused before LibreOffice is started.
LibreOffice runs with a private profile in a temporary folder (so parallel reads do not share
one), in its own process group, which is killed whatever happens: no soffice is left behind.
"""
from __future__ import annotations

import os
import signal
import struct
import subprocess
import tempfile
from pathlib import Path

from . import docx
from .base import Extracted, UnreadableFile, seconds_left, which

FORMAT = "doc"
SUFFIXES = (".doc", ".wps", ".dot", ".wpt", ".rtf")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NAMES = {"doc": "Word 97-2003 document (.doc)", "wps": "WPS Writer document (.wps)", "rtf": "RTF document (.rtf)"}


def sniff(data: bytes, suffix: str) -> bool:
    return data.startswith((_OLE, b"{\\rtf"))


def read(data: bytes, source: str) -> Extracted:
    kind = _kind(data, Path(source).suffix.lower())
    program = which("soffice") or which("libreoffice")
    if program is None:
        raise UnreadableFile(f"{_NAMES[kind]}: LibreOffice is needed to read it "
                             "(Debian: apt install libreoffice-writer), or save it as .docx")
    converted = convert(program, data, ".rtf" if kind == "rtf" else ".doc")
    got = docx.read(converted, source)
    got.file_format = kind
    got.encoding = "converted with LibreOffice"
    got.warnings.append("converted with LibreOffice")
    return got


def _kind(data: bytes, suffix: str) -> str:
    """'doc', 'wps' or 'rtf'; any other Office file is refused with its reason."""
    if data.startswith(b"{\\rtf"):
        return "rtf"
    streams = ole_streams(data)
    if "EncryptionInfo" in streams or "EncryptedPackage" in streams:
        raise UnreadableFile("encrypted Word document: remove the password and save again")
    if "Workbook" in streams or "Book" in streams:
        raise UnreadableFile("spreadsheet, not a report document (Excel .xls / WPS .et)")
    if "PowerPoint Document" in streams:
        raise UnreadableFile("presentation, not a report document (PowerPoint .ppt / WPS .dps)")
    if "WordDocument" not in streams:
        raise UnreadableFile("unsupported format: an Office file that is not a Word document")
    if _doc_encrypted(data, streams["WordDocument"]):
        raise UnreadableFile("encrypted Word document: remove the password and save again")
    return "wps" if suffix in (".wps", ".wpt") else "doc"


def ole_streams(data: bytes) -> dict[str, int]:
    """Stream name -> first sector, read from the OLE directory entries. Entries are 128 bytes
    and every sector starts at a multiple of 128, so each entry is found where its name is
    (UTF-16) at such an offset with a matching name length, without walking the FAT."""
    found: dict[str, int] = {}
    for name in ("WordDocument", "Workbook", "Book", "PowerPoint Document", "EncryptionInfo", "EncryptedPackage"):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        pos = data.find(encoded, 512)
        while pos >= 0:
            if pos % 128 == 0 and pos + 128 <= len(data) and \
                    struct.unpack_from("<H", data, pos + 64)[0] == len(encoded) and data[pos + 66] == 2:
                found[name] = struct.unpack_from("<I", data, pos + 116)[0]
                break
            pos = data.find(encoded, pos + 1)
    return found


def _doc_encrypted(data: bytes, sector: int) -> bool:
    """The FIB's fEncrypted flag, at the start of the WordDocument stream (never a mini stream:
    the FIB alone is larger than the 4096-byte cutoff)."""
    shift = struct.unpack_from("<H", data, 30)[0] if len(data) >= 32 else 9
    offset = (sector + 1) << shift if shift in (9, 12) else -1
    if offset < 0 or offset + 12 > len(data):
        return False
    ident, flags = struct.unpack_from("<H", data, offset)[0], struct.unpack_from("<H", data, offset + 10)[0]
    return ident == 0xA5EC and bool(flags & 0x0100)


def convert(program: str, data: bytes, suffix: str, target: str = "docx") -> bytes:
    """The file converted by LibreOffice (headless, a private profile), within the time left of
    the file's budget."""
    with tempfile.TemporaryDirectory(prefix="fazhi-lo-") as tmp:
        src = Path(tmp, "input" + suffix)
        src.write_bytes(data)
        out = Path(tmp, "out")
        cmd = [program, "--headless", "--norestore", "--nolockcheck",
               f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}",
               "--convert-to", target, "--outdir", str(out), str(src)]
        env = {**os.environ, "HOME": tmp}
        timeout = max(0.2, seconds_left() - 1.0)   # a second kept for reading the result
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=env, cwd=tmp, start_new_session=True)
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise UnreadableFile(f"LibreOffice did not convert it within {timeout:.3g} s") from None
        finally:
            _kill_group(proc)
        result = out / f"input.{target}"
        if not result.is_file() or result.stat().st_size == 0:
            detail = err.decode("utf-8", "replace").strip().splitlines()
            raise UnreadableFile("LibreOffice could not convert it (damaged or password-protected?)"
                                 + (f": {detail[-1][:160]}" if detail else ""))
        return result.read_bytes()


def _kill_group(proc: subprocess.Popen) -> None:
    """End LibreOffice and anything it started (soffice.bin), even when the conversion was
    interrupted by the file's time budget."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()
