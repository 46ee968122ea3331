"""One regex for thousands of literal words, as a trie: `a(?:b|cd)?` rather than `ab|acd|a`.

Python's re tries the alternatives of a flat alternation one by one at every position, so a list
of 10,000 place names costs 10,000 attempts per character. In the trie each character is tried
once per level. Matches are the same as a flat alternation sorted longest first: at a position
the longest word wins (children are tried before a word may end).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_END = ""


def trie_pattern(words) -> str:
    root: dict = {}
    for word in words:
        if not word:
            continue
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[_END] = {}
    return _node(root) or "(?!)"


def _node(node: dict) -> str:
    ends = _END in node
    branches = [re.escape(ch) + _node(child) for ch, child in sorted(node.items()) if ch != _END]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return f"(?:{body})?" if len(branches) > 1 or len(body) > 1 else body + "?"
    return body


class WordScan:
    """The matches of trie_pattern(words).finditer(text) as (start, end, word), found by dictionary
    lookups: at each position the longest word, scanning on after it. Python's re tries a trie's
    first level one branch at a time, so with thousands of first characters (place names) every
    position costs thousands of tests; here the regex only finds the next position whose character
    can start a word, and the lengths that start there are looked up."""

    def __init__(self, words: Iterable[str]):
        self.words = frozenset(w for w in words if w)
        lengths: dict[str, set[int]] = {}
        for w in self.words:
            lengths.setdefault(w[0], set()).add(len(w))
        self.lengths = {ch: sorted(ls, reverse=True) for ch, ls in lengths.items()}
        self.starts = re.compile("[" + "".join(map(re.escape, sorted(lengths))) + "]") if lengths else None

    def finditer(self, text: str) -> Iterator[tuple[int, int, str]]:
        if self.starts is None:
            return
        words, lengths, search, size = self.words, self.lengths, self.starts.search, len(text)
        m = search(text)
        while m:
            i = m.start()
            for n in lengths[text[i]]:
                if i + n <= size and text[i:i + n] in words:   # a slice past the end is shorter than n
                    yield i, i + n, text[i:i + n]
                    i += n
                    break
            else:
                i += 1
            m = search(text, i)
