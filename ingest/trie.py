"""One regex for thousands of literal words, as a trie: `a(?:b|cd)?` rather than `ab|acd|a`.

Python's re tries the alternatives of a flat alternation one by one at every position, so a list
of 10,000 place names costs 10,000 attempts per character. In the trie each character is tried
once per level. Matches are the same as a flat alternation sorted longest first: at a position
the longest word wins (children are tried before a word may end).
"""
from __future__ import annotations

import re

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
