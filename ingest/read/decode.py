"""Bytes -> text: detect the encoding, decode with replacement, and clean out control characters.

A few bad bytes in an otherwise fine file (a damaged download, a page pasted together from two
encodings) do not cost the file: the encoding that decodes it best wins, each undecodable byte
becomes U+FFFD and is counted. Only a file that is mostly undecodable in every encoding is refused.
"""
from __future__ import annotations

import codecs
import re
import threading
from itertools import islice

# A file with more than this share of undecodable bytes in its best encoding is refused.
MAX_UNDECODABLE = 0.2
_SAMPLE_BYTES = 1 << 16
# C0 and C1 controls and DEL, except tab, line feed and carriage return: psycopg cannot store NUL,
# and the rest are invisible noise. A form feed (a page break in converted PDFs) is a line break.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\xd0\xcf\x11\xe0", b"Rar!", b"\x1f\x8b")

_count = threading.local()


def _counting(exc: UnicodeDecodeError) -> tuple[str, int]:
    _count.n = getattr(_count, "n", 0) + (exc.end - exc.start)
    return "\ufffd", exc.end


codecs.register_error("fazhi-count", _counting)


class DecodeError(ValueError):
    """Why bytes are no text; readers.base.decode_text turns it into UnreadableFile."""


def decode_counting(data: bytes, encoding: str) -> tuple[str, int]:
    """`data` decoded with U+FFFD for each undecodable sequence, and how many bytes those were."""
    _count.n = 0
    text = data.decode(encoding, errors="fazhi-count")
    return text, _count.n


def decode(data: bytes) -> tuple[str, str, int]:
    """Bytes -> (text, encoding name, undecodable bytes replaced). Detects; never assumes."""
    if data.startswith(b"\xef\xbb\xbf"):
        text, bad = decode_counting(data[3:], "utf-8")
        return text, "utf-8-sig", bad
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, bad = decode_counting(data, "utf-16")
        return text, "utf-16", bad
    if enc := _bomless_utf16(data):
        text, bad = decode_counting(data, enc)
        return text, enc, bad
    if _looks_binary(data):
        raise DecodeError("binary file, not text or HTML")
    try:
        text, enc = _unmojibake(data.decode("utf-8"))
        return text, enc, 0
    except UnicodeDecodeError as exc:
        utf8_error = exc
    declared = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", data[:2048])
    candidates = ["gb18030", "big5"]
    if declared and declared.group(1).decode().lower() in ("big5", "big5-hkscs"):
        candidates.reverse()
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _plausible_chinese(text):
            return text, enc, 0
    # A damaged file. The encodings are tried best first as a sample ranks them: decoding a
    # whole GBK file as UTF-8 would replace every Chinese character, one callback each.
    sample = data[:_SAMPLE_BYTES]
    ranked = sorted((decode_counting(sample, enc)[1], rank, enc) for rank, enc in enumerate(["utf-8", *candidates]))
    least = None
    for _, _, enc in ranked:
        text, bad = decode_counting(data, enc)
        least = bad if least is None else min(least, bad)
        if not _plausible_chinese(text):
            continue
        if enc == "utf-8" and utf8_error.reason == "unexpected end of data":   # the only bad bytes end it
            raise DecodeError("truncated UTF-8: the file ends inside a character")
        if bad > len(data) * MAX_UNDECODABLE:
            break
        return text, enc, bad
    if least > len(data) * MAX_UNDECODABLE:
        raise DecodeError(f"wrongly encoded: {least * 100 // len(data)}% of bytes undecodable in every encoding "
                          f"tried (UTF-8, GB18030, Big5)")
    raise DecodeError("unknown text encoding (not UTF-8, GB18030 or Big5)")


def remove_controls(text: str) -> tuple[str, int]:
    """Text without control characters (form feeds become line breaks) and how many were removed."""
    text = text.replace("\f", "\n")
    cleaned, n = _CONTROLS.subn("", text)
    return cleaned, n


def _unmojibake(text: str) -> tuple[str, str]:
    """UTF-8 that was once read as Latin-1/CP1252 and saved again ("é‡åº†") reverses exactly;
    repair it when the text has almost no Chinese but many such characters."""
    sample = text[:4000]
    cjk = cjk_count(sample)
    latin = len(sample) - len(_LATIN.sub("", sample))
    if cjk < 20 and latin > 50:
        for enc in ("latin-1", "cp1252"):
            try:
                fixed = text.encode(enc).decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
            if cjk_count(fixed[:4000]) > latin // 4:
                return fixed, "utf-8-mojibake"
    return text, "utf-8"


def cjk_count(text: str) -> int:
    """Characters in the CJK Unified Ideographs block: how much Chinese a text holds."""
    return len(text) - len(_CJK.sub("", text))   # no list of millions of one-character strings


_CJK = re.compile("[\u4e00-\u9fff]")
_LATIN = re.compile("[\u00c0-\u00ff]")
_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or b > 13)


def has_cjk(text: str, n: int) -> bool:
    """At least n Chinese characters: stops counting at n, where cjk_count reads the whole text."""
    return sum(1 for _ in islice(_CJK.finditer(text), n)) >= n


def _looks_binary(data: bytes) -> bool:
    """A known binary format, or a head full of NULs or control bytes. A stray NUL in a text
    is removed later, not a reason to refuse the file."""
    if data.startswith(_MAGIC):
        return True
    head = data[:4096]
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return head.count(0) > len(head) * 0.01 or controls > len(head) * 0.05


def _bomless_utf16(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' for UTF-16 saved without a byte-order mark, else None.

    Such a file has a NUL in every ASCII character's other byte, or (all Chinese) is no UTF-8 at
    all; either way its head decodes in one byte order to text made of Chinese, ASCII and CJK
    punctuation only, with common characters. Bytes of any other kind decoded as UTF-16 spread
    over the whole of Unicode (Hangul, private use, surrogates), and valid UTF-8 is never tried."""
    head = data[:_UTF16_SAMPLE]
    if data.startswith(_MAGIC) or len(head) < 8 or (b"\x00" not in head and _utf8_head(head)):
        return None
    head = head[:len(head) & ~1]
    for enc in ("utf-16-le", "utf-16-be"):
        sample = head.decode(enc, "replace")
        text_like = len(_NOT_TEXT.sub("", sample))
        if text_like < len(sample) * 0.95 or cjk_count(sample) < 2 or not _plausible_chinese(sample):
            continue
        return enc
    return None


def _utf8_head(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:   # a character cut by the end of the sample is still UTF-8
        return exc.reason == "unexpected end of data" and exc.start >= len(head) - 3
    return True


_UTF16_SAMPLE = 4096
# Characters a text in UTF-16 is made of: tab, line breaks, printable ASCII and Latin-1, general and CJK
# punctuation, CJK ideographs, full-width forms.
_NOT_TEXT = re.compile("[^\t\n\r\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff"
                       "\uff00-\uffef]")


def _plausible_chinese(text: str) -> bool:
    # GB18030 decodes almost any byte string; real Chinese text is dominated by common characters.
    sample = text[:1_000_000]   # enough to judge; a 50 MB file is not scanned character by character
    cjk = [ch for ch in sample if ord(ch) > 0x2E80]
    if not cjk:
        return False
    common = sum(1 for ch in cjk if ch in _COMMON)
    return common / len(cjk) > 0.25


_COMMON = set("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"
              "产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使"
              "点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看"
              "原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革"
              "位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放"
              "决西被干做必战先回则任取据处府院报告治工作情况司局县市省街道镇乡")
