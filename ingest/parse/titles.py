"""A heading as the page prints it -> the title: document numbers, column tags, bullets and site
names around it removed (patterns in data/titles.yaml)."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml


# A title runs to 80 characters, what surrounds it to a few dozen more; longer lines are body text
# (or a page saved as one line), not worth the patterns.
_LONGEST = 200


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern]:
    raw = yaml.safe_load(resources.files("ingest.parse").joinpath("data/titles.yaml").read_text(encoding="utf-8"))
    before = re.compile("^(?:" + "|".join(f"(?:{p})" for p in raw["before"]) + ")")
    after = re.compile("(?:" + "|".join(f"(?:{p})" for p in raw["after"]) + ")$")
    return before, after


def clean_title(line: str) -> str:
    """The title within a heading line; the line itself when nothing around it is known."""
    s = line.strip()
    if len(s) > _LONGEST:
        return s
    before, after = _patterns()
    while True:
        cut = after.sub("", before.sub("", s, count=1), count=1).strip()
        if cut == s:
            return s
        s = cut
