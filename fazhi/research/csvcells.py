"""Text cells of the CSV files fazhi writes, safe to open in a spreadsheet (OWASP, CSV injection).

A cell Excel or LibreOffice would read as a formula (it begins with = + - @, a tab or a carriage
return) is written with a single quote in front: `=HYPERLINK(...)` in a correction's reason is
shown as text, never run. A text cell that begins with a quote gets one more, so reading back is
exact: `restore` strips the one quote export added, only where export adds one (a quote followed
by one of those characters or by another quote), and leaves every other cell as it is.

Only text is quoted: numbers (a value, a year, -3.5 in a numeric column) are written as numbers.
"""
from __future__ import annotations

QUOTE = "'"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_QUOTED = FORMULA_STARTS + (QUOTE,)


def neutralise(cell):
    """A text cell as written to CSV; anything else (numbers, None) unchanged."""
    if isinstance(cell, str) and cell.startswith(_QUOTED):
        return QUOTE + cell
    return cell


def restore(cell: str) -> str:
    """The text `neutralise` was given, from the cell it wrote."""
    if cell.startswith(QUOTE) and cell[1:].startswith(_QUOTED):
        return cell[1:]
    return cell
