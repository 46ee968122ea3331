"""OCR of page images with the tesseract command (tesseract-ocr + tesseract-ocr-chi-sim).

Optional: without tesseract and its Simplified Chinese data a scan is refused with a reason
naming the packages. tesseract runs as a subprocess, so its time comes out of the file's budget
(`seconds_left`) rather than being interrupted by the alarm. Its word boxes (TSV) become layout
lines, so recognised pages get the same reading order, running-head removal and paragraph
rejoining as a text layer.
"""
from __future__ import annotations

import re
import subprocess
from functools import cache

from ...children import die_with_parent
from .base import UnreadableFile, seconds_left, which
from .pdflayout import Line, Page

LANGS = "chi_sim"   # its model reads Latin letters and digits too; +eng doubles the time and adds noise
INSTALL = "install tesseract-ocr and tesseract-ocr-chi-sim to read it by OCR"
WARNING = "text recognised by OCR from page images (lower confidence)"
_MIN_CONFIDENCE = 10    # below this a "word" is noise read into a smudge or a rule
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def available() -> bool:
    """tesseract on the PATH with the chi_sim language data (looked up each time: PATH may change)."""
    exe = which("tesseract")
    return bool(exe) and _has_chi_sim(exe)


@cache
def _has_chi_sim(exe: str) -> bool:
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return "chi_sim" in (out.stdout + out.stderr).split()


def pgm(width: int, height: int, stride: int, buffer) -> bytes:
    """An 8-bit grey bitmap as PGM bytes, which tesseract reads from stdin (no Pillow needed)."""
    raw = bytes(buffer)
    rows = raw if stride == width else b"".join(raw[i * stride:i * stride + width] for i in range(height))
    return b"P5\n%d %d\n255\n" % (width, height) + rows


def recognise(image: bytes, dpi: int = 300) -> list[Page]:
    """The pages of an image file (PNG, JPEG, TIFF, PGM ...), each with its recognised lines."""
    budget = seconds_left() - 1
    if budget <= 0:
        raise UnreadableFile("no time left in the file's budget for OCR (limit FAZHI_FILE_SECONDS)")
    cmd = [which("tesseract") or "tesseract", "stdin", "stdout", "-l", LANGS, "--dpi", str(dpi),
           "-c", "preserve_interword_spaces=1", "tsv"]
    try:
        out = subprocess.run(cmd, input=image, capture_output=True, timeout=budget, check=False,
                             preexec_fn=die_with_parent())
    except subprocess.TimeoutExpired:
        raise UnreadableFile("OCR took longer than the file's time budget (limit FAZHI_FILE_SECONDS)") from None
    except OSError as exc:
        raise UnreadableFile(f"OCR failed: {exc}") from None
    if out.returncode != 0:
        msg = out.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UnreadableFile(f"OCR failed: tesseract could not read the image "
                             f"({msg[-1].rstrip('.') if msg else 'exit ' + str(out.returncode)})")
    return parse_tsv(out.stdout.decode("utf-8", "replace"))


def parse_tsv(tsv: str) -> list[Page]:
    """tesseract TSV -> pages of lines (level 1 rows give the page size, level 5 the words)."""
    pages: dict[int, Page] = {}
    words: dict[tuple, list[tuple]] = {}
    for row in tsv.splitlines()[1:]:
        f = row.split("\t")
        if len(f) < 12:
            continue
        level, page, left, top, width, height = (int(x) for x in (f[0], f[1], *f[6:10]))
        if level == 1:
            pages[page] = Page(float(width), float(height))
        elif level == 5 and f[11].strip() and float(f[10]) >= _MIN_CONFIDENCE:
            words.setdefault((page, f[2], f[3], f[4]), []).append((f[11].strip(), left, top, left + width, top + height))
    for (page, *_), ws in words.items():
        pages.setdefault(page, Page(0.0, 0.0)).items.append(_line(ws))
    for p in pages.values():
        # A short line's box says little of its size: take the page's (the body text's).
        known = sorted(ln.size for ln in p.items if ln.size)
        for ln in p.items:
            ln.size = ln.size or (known[len(known) // 2] if known else ln.bottom - ln.top)
    return [pages[k] for k in sorted(pages)]


def _line(words: list[tuple]) -> Line:
    words.sort(key=lambda w: w[1])
    text = ""
    for w in words:
        # tesseract puts a space between Chinese characters; there is none in the text.
        text += w[0] if not text or _CJK.match(text[-1]) or _CJK.match(w[0][0]) else " " + w[0]
    # The character size: a Chinese line's pitch (its word boxes and ink heights vary: 。 一 口).
    x0, x1 = words[0][1], max(w[3] for w in words)
    size = (x1 - x0) / len(text) if len(_CJK.findall(text)) >= 4 else 0.0   # 0: see parse_tsv
    first = words[0]
    per_char = (first[3] - first[1]) / max(len(first[0]), 1)
    return Line(text, float(first[1]), float(min(w[2] for w in words)), float(max(w[3] for w in words)),
                float(max(w[4] for w in words)), size, per_char * min(len(first[0]), 2))
