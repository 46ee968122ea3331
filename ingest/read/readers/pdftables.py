"""Ruled tables on a PDF page: the grid its ruling lines draw, the characters in each cell.

Lines come from the page's path objects (stroked lines, rectangles, and the thin filled
rectangles Word and WPS draw borders with). Cells that no ruling separates are one merged
cell: its text repeats across the columns it spans and fills down the rows, as the HTML reader
renders colspan and rowspan.
"""
from __future__ import annotations

from .pdflayout import Table, join

_SNAP = 2.0        # points: rulings this close are one
_THIN = 2.0        # a filled rectangle thinner than this is a ruling


def rulings(segments: list[tuple[float, float, float, float]]) -> tuple[list[tuple], list[tuple]]:
    """Straight segments (x0, y0, x1, y1) -> horizontal (y, x0, x1) and vertical (x, y0, y1)."""
    hs, vs = [], []
    for x0, y0, x1, y1 in segments:
        if abs(y1 - y0) <= _SNAP and abs(x1 - x0) > _SNAP:
            hs.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
        elif abs(x1 - x0) <= _SNAP and abs(y1 - y0) > _SNAP:
            vs.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))
    return hs, vs


def rect_edges(x0: float, y0: float, x1: float, y1: float) -> list[tuple[float, float, float, float]]:
    """A rectangle's edges; a thin one is one ruling along its middle."""
    x0, x1, y0, y1 = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
    if y1 - y0 < _THIN:
        return [(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2)]
    if x1 - x0 < _THIN:
        return [((x0 + x1) / 2, y0, (x0 + x1) / 2, y1)]
    return [(x0, y0, x1, y0), (x0, y1, x1, y1), (x0, y0, x0, y1), (x1, y0, x1, y1)]


def find_tables(hs: list[tuple], vs: list[tuple], chars: list[tuple]) -> tuple[list[Table], list[tuple]]:
    """Tables the rulings draw (at least two rows or two columns of cells) and the characters
    outside them."""
    tables = []
    for h_group, v_group in _groups(hs, vs):
        table = _grid(h_group, v_group, chars)
        if table:
            tables.append(table)
    rest = [c for c in chars if not any(_contains(t, c) for t in tables)]
    return tables, rest


def _touch(h, v) -> bool:
    return v[1] - _SNAP <= h[0] <= v[2] + _SNAP and h[1] - _SNAP <= v[0] <= h[2] + _SNAP


def _groups(hs, vs):
    """Connected sets of crossing rulings."""
    parent = list(range(len(hs) + len(vs)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if _touch(h, v):
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, tuple[list, list]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


def _cluster(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _SNAP:
            out.append(v)
    return out


def _covered(lines, at: float, lo: float, hi: float) -> bool:
    """Whether a ruling at `at` covers the stretch lo..hi (most of it: borders may stop short)."""
    need = (hi - lo) * 0.6
    return any(abs(pos - at) <= _SNAP and min(b, hi) - max(a, lo) >= need for pos, a, b in lines)


def _grid(hs, vs, chars) -> Table | None:
    ys, xs = _cluster([h[0] for h in hs]), _cluster([v[0] for v in vs])
    if len(ys) < 2 or len(xs) < 2 or (len(ys) < 3 and len(xs) < 3):
        return None   # one box (a frame around text) is no table
    nr, nc = len(ys) - 1, len(xs) - 1
    owner = {(r, c): (r, c) for r in range(nr) for c in range(nc)}   # merged cells: union-find

    def root(cell):
        while owner[cell] != cell:
            cell = owner[cell]
        return cell

    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not _covered(vs, xs[c + 1], ys[r], ys[r + 1]):
                owner[root((r, c + 1))] = root((r, c))
            if r + 1 < nr and not _covered(hs, ys[r + 1], xs[c], xs[c + 1]):
                owner[root((r + 1, c))] = root((r, c))
    texts: dict[tuple[int, int], list[tuple]] = {}
    for ch in chars:
        r, c = _index(ys, (ch[2] + ch[4]) / 2), _index(xs, (ch[1] + ch[3]) / 2)
        if r is not None and c is not None:
            texts.setdefault(root((r, c)), []).append(ch)
    cell_text = {k: _cell_text(v) for k, v in texts.items()}
    rows = [[cell_text.get(root((r, c)), "") for c in range(nc)] for r in range(nr)]
    sizes = sorted(ch[4] - ch[2] for v in texts.values() for ch in v) or [0.0]
    return Table(rows, xs[0], ys[0], xs[-1], ys[-1], sizes[len(sizes) // 2])


def _index(edges: list[float], at: float) -> int | None:
    for i in range(len(edges) - 1):
        if edges[i] <= at < edges[i + 1]:
            return i
    return None


def _cell_text(chars: list[tuple]) -> str:
    """A cell's lines joined as one wrapped paragraph."""
    from .pdflayout import chars_to_lines

    text = ""
    for line in chars_to_lines(chars):
        text = join(text, line.text)
    return text.replace("|", "｜").strip()


def _contains(t: Table, ch: tuple) -> bool:
    x, y = (ch[1] + ch[3]) / 2, (ch[2] + ch[4]) / 2
    return t.x0 <= x <= t.x1 and t.top <= y <= t.bottom
