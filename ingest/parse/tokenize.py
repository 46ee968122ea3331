"""Word segmentation for keyword tagging: jieba's dictionary and the domain user dictionary, cut by
rjieba (jieba-rs, compiled) when it is installed, else by jieba itself.

rjieba ships jieba's own dictionary and HMM and cuts Chinese exactly as jieba does, about 30 times
faster (bench/bench_tokenize.py measures both and counts differing tokens). It differs only on
runs of non-Chinese characters jieba's HMM step breaks apart: jieba gives 2024 - 02 - 23 where
rjieba gives 2024-02-23. Such tokens are split here as jieba splits them, so keywords stay equal.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache
from importlib import resources

# jieba's finalseg: Latin letters and digits (with a decimal part and %) stay one token, any other
# character outside Chinese is a token of its own.
_JIEBA_SKIP = re.compile(r"[a-zA-Z0-9]+(?:\.\d+)?%?|.", re.S)
_NON_HAN = re.compile(r"[^\u4e00-\u9fd5]{2,}")
# rjieba keeps a non-Chinese run whole only across a character between Latin letters or digits
# and a digit (2024-02-23, 12:30): without one in the text, its words are jieba's as they come.
_JOINED = re.compile(r"[a-zA-Z0-9][^a-zA-Z0-9.\u4e00-\u9fd5\s]\d")


def _user_words() -> list[tuple[str, int | None, str | None]]:
    raw = resources.files("ingest.parse").joinpath("data/userdict.txt").read_text(encoding="utf-8")
    words = []
    for line in raw.splitlines():
        parts = line.split()
        if parts:
            freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
            words.append((parts[0], freq, parts[-1] if len(parts) > 2 else None))
    return words


@lru_cache(maxsize=1)
def _rjieba():
    try:
        import rjieba
    except ImportError:
        return None
    for word, freq, tag in _user_words():
        rjieba.add_word(word, freq, tag)
    return rjieba


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    with resources.as_file(resources.files("ingest.parse").joinpath("data/userdict.txt")) as path:
        jieba.load_userdict(str(path))
    return jieba


def engine_name() -> str:
    return "rjieba" if _rjieba() is not None else "jieba"


def warm() -> None:
    """Load the dictionaries now (before worker processes fork, so they share them)."""
    cut("预热")


def cut(text: str) -> list[str]:
    fast = _rjieba()
    if fast is None:
        return _jieba().lcut(text)
    words = fast.cut(text)
    if not _JOINED.search(text):
        return words
    out: list[str] = []
    for word in words:
        if len(word) > 1 and _NON_HAN.fullmatch(word) and not word.isspace():
            out += _JIEBA_SKIP.findall(word)
        else:
            out.append(word)
    return out
