"""Where a file came from, when a crawler saved it: the JSON sidecar next to it.

`fazhi collect` saves each page or attachment as FILE and its provenance as FILE + SIDECAR (the
URL, the page that linked it, fetch time, HTTP status, content type, ETag/Last-Modified and the
sha256 of the bytes saved). Reading FILE picks the sidecar up, so the loader stores the report's
source URL and, for an attachment, its page (core.report_source); `discover` passes sidecars
over as files of their own. A sidecar whose sha256 is not the file's (the file was replaced
since) is ignored: it describes other bytes.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

SIDECAR = ".source.json"
MAX_SIDECAR_BYTES = 64 * 1024


def sidecar_of(path: str | Path) -> Path:
    return Path(os.fspath(path) + SIDECAR)


def is_sidecar(path: str | Path) -> bool:
    """A sidecar of a file beside it (a lone *.source.json is an input like any other)."""
    name = os.fspath(path)
    return name.endswith(SIDECAR) and os.path.isfile(name[:-len(SIDECAR)])


def read_origin(path: str | Path, content_hash: str) -> dict[str, str] | None:
    """{"url", "page"} from the file's sidecar when it describes these bytes, else None."""
    side = sidecar_of(path)
    try:
        if not side.is_file() or side.stat().st_size > MAX_SIDECAR_BYTES:
            return None
        data = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None   # a broken sidecar costs the provenance, never the file
    if not isinstance(data, dict) or data.get("sha256") != content_hash or not isinstance(data.get("url"), str):
        return None
    page = data.get("page")
    return {"url": data["url"], "page": page if isinstance(page, str) else None}
