"""Where collected files go, and what a crawl knows of earlier runs.

A file is saved as OUT/<code>/<host>/<name>-<8 hex of its URL>.<ext>: one URL, one name, so a
file fetched twice (a rerun, a crawl killed between saving and recording) lands on itself and is
never duplicated. Its provenance goes beside it as <file>.source.json (ingest/read/origin.py
reads it): URL, the page that linked it, fetch time, HTTP status, content type, ETag,
Last-Modified, sha256, and for a report page the attachments it links.

The sidecars are the crawl's state: a rerun reads them to send conditional requests (a 304 is
not downloaded again) and to know a page's attachments without its body. Both files are written
to a temporary name and renamed, the sidecar last, so a crawl killed at any instant leaves
either a whole file with its sidecar, a whole file without one (fetched again, its name the
same), or nothing.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ingest.read.origin import SIDECAR, sidecar_of

from .pages import ATTACHMENTS

_UNSAFE = re.compile(r"[^\w.\-\u4e00-\u9fff]+")
_TYPES = {"text/html": "html", "application/xhtml+xml": "html", "application/pdf": "pdf", "application/msword": "doc",
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
          "application/vnd.ms-excel": "xls", "application/ofd": "ofd", "application/kswps": "wps",
          "text/plain": "txt"}


@dataclass
class Known:
    """What an earlier run saved from one URL."""
    path: Path
    sha256: str
    etag: str | None
    last_modified: str | None
    links: list[str] = field(default_factory=list)

    def conditional(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


class Store:
    """The files of one site: OUT/<code>/<host>/."""

    def __init__(self, out: Path, code: str, host: str):
        self.folder = site_folder(out, code, host)
        self.known: dict[str, Known] = {}
        self.hashes: set[str] = set()
        if self.folder.is_dir():
            for side in self.folder.glob("*" + SIDECAR):
                self._remember(side)

    def _remember(self, side: Path) -> None:
        try:
            data = json.loads(side.read_text(encoding="utf-8"))
            path = Path(str(side)[:-len(SIDECAR)])
            if not path.is_file():
                return
            self.known[data["url"]] = Known(path, data["sha256"], data.get("etag"), data.get("last_modified"),
                                            list(data.get("links") or []))
            self.hashes.add(data["sha256"])
        except (OSError, ValueError, KeyError, TypeError):
            return   # a sidecar cut short or edited: its file is fetched again, onto the same name

    def path_for(self, url: str, content_type: str) -> Path:
        parts = urlsplit(url)
        last = unquote(parts.path.rsplit("/", 1)[-1]) or "index"
        stem, _, ext = last.rpartition(".") if "." in last else (last, "", "")
        ext = ext.lower()
        if ext not in ATTACHMENTS and ext not in ("html", "htm", "shtml", "txt"):
            ext = _TYPES.get(content_type.split(";")[0].strip().lower(), ext or "bin")
            ext = "html" if ext in ("jsp", "php", "asp", "aspx", "do", "action") else ext
        tag = hashlib.sha1(url.encode("utf-8")).hexdigest()[:8]
        return self.folder / f"{(safe(stem or last) or 'file')[:80]}-{tag}.{safe(ext) or 'bin'}"

    def save(self, url: str, body: bytes, *, page: str | None, status: int, content_type: str,
             etag: str | None, last_modified: str | None, links: list[str] = (), code: str = "") -> Path:
        path = self.path_for(url, content_type)
        digest = hashlib.sha256(body).hexdigest()
        self.folder.mkdir(parents=True, exist_ok=True)
        _write(path, body)
        provenance = {"url": url, "page": page, "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                      "status": status, "content_type": content_type, "etag": etag, "last_modified": last_modified,
                      "sha256": digest, "bytes": len(body), "jurisdiction_code": code or None, "links": list(links)}
        _write(sidecar_of(path), json.dumps(provenance, ensure_ascii=False, indent=1).encode("utf-8"))
        self.known[url] = Known(path, digest, etag, last_modified, list(links))
        self.hashes.add(digest)
        return path


def site_folder(out: Path, code: str, host: str) -> Path:
    return out / (safe(code) or "unknown") / safe(host.replace(":", "_"))


def _write(path: Path, data: bytes) -> None:
    # One crawl process writes a folder at a time (the child holds no two crawls of one OUT), so a
    # name per process is unique; hidden, so an ingest meanwhile passes it over.
    tmp = path.parent / f".part-{os.getpid()}-{path.name}"
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def sweep_parts(folder: Path) -> None:
    """Temporary files a killed crawl left (hidden: ingest passes them over meanwhile)."""
    if folder.is_dir():
        for part in folder.rglob(".part-*"):
            part.unlink(missing_ok=True)


def safe(name: str) -> str:
    return _UNSAFE.sub("_", name).strip("._")
