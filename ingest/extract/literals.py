"""The words a pattern cannot match without: a quick test that lets a sentence skip every phrase
of the catalogue it does not contain.

`required(p)` is a set of strings such that every match of `p` contains at least one of them, or
None when the pattern gives no such guarantee. A phrase whose required words are all absent from a
sentence cannot match anywhere in it, so a substring test (C speed) stands in for running the
regex once per figure and indicator.
"""
from __future__ import annotations

import re

try:
    import re._parser as _sre   # Python 3.11+
    from re._constants import BRANCH, IN, LITERAL, MAX_REPEAT, MIN_REPEAT, SUBPATTERN
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre
    from sre_constants import BRANCH, IN, LITERAL, MAX_REPEAT, MIN_REPEAT, SUBPATTERN


def required(pattern: re.Pattern) -> frozenset[str] | None:
    if pattern.flags & re.IGNORECASE:
        return None
    found = _sequence(_sre.parse(pattern.pattern, pattern.flags))
    return frozenset(found) if found else None


def _sequence(items) -> set[str] | None:
    """Of the items of a sequence each must match, so any one's required set will do: the most
    selective (longest shortest word)."""
    options: list[set[str]] = []
    run = ""
    for op, av in items:
        if op is LITERAL:
            run += chr(av)
            continue
        if run:
            options.append({run})
            run = ""
        got = _item(op, av)
        if got:
            options.append(got)
    if run:
        options.append({run})
    return max(options, key=lambda s: (min(map(len, s)), -len(s)), default=None)


def _item(op, av) -> set[str] | None:
    if op is SUBPATTERN:
        return _sequence(av[-1])
    if op is BRANCH:
        branches = [_sequence(b) for b in av[1]]
        return None if any(b is None for b in branches) else set().union(*branches)
    if op in (MAX_REPEAT, MIN_REPEAT):
        low, _, body = av
        return _sequence(body) if low >= 1 else None
    if op is IN and all(o is LITERAL for o, _ in av):
        return {chr(c) for _, c in av}
    return None   # any other character class, an assertion, an anchor: nothing is required


def present(words: frozenset[str] | None, text: str) -> bool:
    return words is None or any(w in text for w in words)
