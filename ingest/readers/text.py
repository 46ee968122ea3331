"""Plain text in any Chinese encoding (UTF-8/16 with or without BOM, GB18030/GBK, Big5)."""
from __future__ import annotations

import re
from pathlib import PurePath

from ..decode import DecodeError, decode, remove_controls
from .base import Extracted, UnreadableFile

FORMAT = "text"
SUFFIXES = (".txt", ".text")

_TYPE_SUFFIX = re.compile(r"\.[a-z][a-z0-9]{0,5}")   # .csv, .json; not .2023 in 报告.2023
_LOOKS_HTML = re.compile(r"\s*(<!doctype html|<html|<head|<meta|<body|<div|<p>)", re.IGNORECASE)


def sniff(data: bytes, suffix: str) -> bool:
    return True   # the last reader: decode() refuses what is not text


def decode_text(data: bytes) -> tuple[str, str, list[str]]:
    """(text without control characters, encoding, warnings about what was repaired)."""
    try:
        text, encoding, replaced = decode(data)
    except DecodeError as exc:
        raise UnreadableFile(str(exc)) from None
    # Controls go before anything else reads the text: NUL cannot be stored, and the page
    # renderer uses control characters as its own marks.
    text, controls = remove_controls(text)
    if not text.strip("\ufeff \t\r\n\u3000"):
        raise UnreadableFile("empty file")  # a byte-order mark or only controls: nothing was written
    warnings = [f"replaced {replaced} undecodable byte{'s' * (replaced != 1)}"] if replaced else []
    if controls:
        warnings.append(f"removed {controls} control character{'s' * (controls != 1)}")
    return text, encoding, warnings


def read(data: bytes, source: str) -> Extracted:
    text, encoding, warnings = decode_text(data)
    if _LOOKS_HTML.match(text[:500]):   # a saved page named .txt, .jsp, .php or anything
        from . import html
        return html.from_text(text, encoding, warnings)
    suffix = PurePath(source).suffix.lower()
    if _TYPE_SUFFIX.fullmatch(suffix) and suffix not in SUFFIXES:
        # A .csv, .json or .md is text too, but not a report to be read as one.
        raise UnreadableFile(f"unsupported file type {suffix}: not a report format fazhi reads "
                             "(a plain-text report can be renamed .txt)")
    return Extracted(text, FORMAT, encoding, warnings=warnings)
