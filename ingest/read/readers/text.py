"""Plain text in any Chinese encoding (UTF-8/16 with or without BOM, GB18030/GBK, Big5)."""
from __future__ import annotations

import re
from pathlib import PurePath

from .base import Extracted, UnreadableFile, decode_text

FORMAT = "text"
SUFFIXES = (".txt", ".text")

_TYPE_SUFFIX = re.compile(r"\.[a-z][a-z0-9]{0,5}")   # .csv, .json; not .2023 in 报告.2023
_LOOKS_HTML = re.compile(r"\s*(<!doctype html|<html|<head|<meta|<body|<div|<p>)", re.IGNORECASE)


def sniff(data: bytes, suffix: str) -> bool:
    return True   # the last reader: decode() refuses what is not text


def read(data: bytes, source: str) -> Extracted:
    text, encoding, warnings = decode_text(data)
    if _LOOKS_HTML.match(text[:500]):   # a saved page named .txt, .jsp, .php or anything
        from . import html
        return html.from_text(text, encoding, warnings)
    suffix = PurePath(source).suffix.lower()
    if _TYPE_SUFFIX.fullmatch(suffix) and suffix not in SUFFIXES:
        from . import SUFFIXES as REPORT_SUFFIXES
        if suffix not in REPORT_SUFFIXES:
            # A .csv, .json or .md is text too, but not a report to be read as one.
            raise UnreadableFile(f"unsupported file type {suffix}: not a report format fazhi reads "
                                 "(a plain-text report can be renamed .txt)")
        # The content decides: a report saved as text under a report format's name is read.
        warnings = [*warnings, f"named {suffix} but is plain text: read as text"]
    return Extracted(text, FORMAT, encoding, warnings=warnings)
