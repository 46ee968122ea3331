"""Word 97-2003 .doc, Kingsoft WPS Writer .wps and .rtf, read by converting them with LibreOffice
to .docx and reading that (`docx`): no maintained pure-Python reader handles these formats well.

An OLE compound file is told apart by its directory: WordDocument (Word and WPS Writer),
Workbook/Book (Excel, WPS 表格 .et), PowerPoint Document (PowerPoint, WPS 演示 .dps). Only
documents are converted; a password-protected one is refused before LibreOffice is started.
LibreOffice runs with a private profile in a temporary folder (so parallel reads do not share
one), in its own process group, which is killed whatever happens: no soffice is left behind,
not even when fazhi is killed with -9 (the group dies with it, and the next run removes the
folder: `ingest.children`).
"""
from __future__ import annotations

import os
import re
import signal
import subprocess
from pathlib import Path

from ...children import die_with_parent, grouped, scratch
from . import docx, html, inflate, ole
from .base import Extracted, UnreadableFile, seconds_left, which

FORMAT = "doc"
SUFFIXES = (".doc", ".wps", ".dot", ".wpt", ".rtf", ".mht", ".mhtml")
_NAMES = {"doc": "Word 97-2003 document (.doc)", "wps": "WPS Writer document (.wps)", "rtf": "RTF document (.rtf)"}


# What Word writes as "single file web page" (MHT) or "Word 2003 XML", often published named .doc.
# (A plain web page named .doc is the text reader's: it reads any file that looks like HTML.)
_MHT = re.compile(rb"^(?:\xef\xbb\xbf)?\s*MIME-Version:", re.IGNORECASE)
_WORD_XML = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*>\s*(?:<\?mso-application[^>]*Word\.Document|<w:wordDocument)")


def sniff(data: bytes, suffix: str) -> bool:
    return data.startswith((ole.MAGIC, b"{\\rtf")) or bool(_MHT.match(data[:256]) or _WORD_XML.match(data[:1024]))


def read(data: bytes, source: str) -> Extracted:
    if not data.startswith((ole.MAGIC, b"{\\rtf")):
        return _markup(data, source)
    kind, suffix = _kind(data, Path(source).suffix.lower())
    program = which("soffice") or which("libreoffice")
    if program is None:
        raise UnreadableFile(f"{_NAMES[kind]}: LibreOffice is needed to read it "
                             "(Debian: apt install libreoffice-writer), or save it as .docx")
    converted = convert(program, data, suffix)
    got = docx.read(converted, source)
    got.file_format = kind
    got.encoding = "libreoffice"   # report.encoding is short: how the text was obtained
    got.warnings.append("converted with LibreOffice")
    return got


def _kind(data: bytes, suffix: str) -> tuple[str, str]:
    """('doc', 'wps' or 'rtf', the suffix LibreOffice is given); any other Office file is refused
    with its reason. A WordDocument stream is converted as .doc whatever the name, since WPS
    Writer's .wps holds one; a .wps without (Microsoft Works) is left to LibreOffice to detect."""
    if data.startswith(b"{\\rtf"):
        return "rtf", ".rtf"
    streams = ole.streams(data)
    if "EncryptionInfo" in streams or "EncryptedPackage" in streams:
        raise UnreadableFile("encrypted Word document: remove the password and save again")
    if "Workbook" in streams or "Book" in streams:
        raise UnreadableFile("spreadsheet, not a report document (Excel .xls / WPS .et)")
    if "PowerPoint Document" in streams:
        raise UnreadableFile("presentation, not a report document (PowerPoint .ppt / WPS .dps)")
    kind = "wps" if suffix in (".wps", ".wpt") else "doc"
    if "WordDocument" not in streams:
        if kind == "wps":
            return kind, ".wps"
        raise UnreadableFile("unsupported format: an Office file that is not a Word document")
    if ole.doc_encrypted(data, streams["WordDocument"]):
        raise UnreadableFile("encrypted Word document: remove the password and save again")
    return kind, ".doc"


def _markup(data: bytes, source: str) -> Extracted:
    """A web archive (MHT: one MIME message) is read as its page; a Word 2003 XML document goes
    through LibreOffice like a .doc."""
    if _WORD_XML.match(data[:1024]):
        program = which("soffice") or which("libreoffice")
        if program is None:
            raise UnreadableFile("Word 2003 XML document: LibreOffice is needed to read it "
                                 "(Debian: apt install libreoffice-writer), or save it as .docx")
        got = docx.read(convert(program, data, ".xml"), source)
        got.file_format = "doc"
        got.encoding = "libreoffice"   # report.encoding is short: how the text was obtained
        got.warnings.append("converted with LibreOffice")
        return got
    got = html.read(_mht_page(data), source)
    got.warnings.append("read the web page of a web archive (MHT)")
    return got


def _mht_page(data: bytes) -> bytes:
    import email
    from email import policy

    message = email.message_from_bytes(data, policy=policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset()
            if charset and not re.search(rb"<meta[^>]+charset", payload[:2048], re.IGNORECASE):
                payload = f'<meta charset="{charset}">'.encode() + payload
            return payload
    raise UnreadableFile("web archive (.mht) with no web page in it")


def convert(program: str, data: bytes, suffix: str, target: str = "docx") -> bytes:
    """The file converted by LibreOffice (headless, a private profile), within the time left of
    the file's budget."""
    with scratch("lo") as tmp:
        src = Path(tmp, "input" + suffix)
        src.write_bytes(data)
        out = Path(tmp, "out")
        cmd = [program, "--headless", "--norestore", "--nolockcheck",
               f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}",
               "--convert-to", target, "--outdir", str(out), str(src)]
        env = {**os.environ, "HOME": tmp}
        timeout = max(0.2, seconds_left() - 1.0)   # a second kept for reading the result
        # soffice starts soffice.bin: the group, not just the child, must die with us.
        proc = subprocess.Popen(grouped(cmd), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env, cwd=tmp, start_new_session=True,
                                preexec_fn=die_with_parent(signal.SIGTERM))
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise UnreadableFile(f"LibreOffice did not convert it within {timeout:.3g} s") from None
        finally:
            _kill_group(proc)
        result = out / f"input.{target.split(':')[0]}"
        if not result.is_file() or result.stat().st_size == 0:
            detail = err.decode("utf-8", "replace").strip().splitlines()
            raise UnreadableFile("LibreOffice could not convert it (damaged or password-protected?)"
                                 + (f": {detail[-1][:160]}" if detail else ""))
        inflate.current().add_inflated(result.stat().st_size)   # what a small .doc or .rtf became counts too
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
