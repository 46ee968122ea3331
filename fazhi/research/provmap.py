"""`fazhi plot --map`: one indicator in one year on a map of China's province-level divisions.

Each province is coloured by the median of its places' values that year (the same panel rows
the bar chart ranks; n places in brackets), grey without data. Shapes: Superset's China map
(geodata/china.geojson, Apache-2.0, see geodata/README.md), matched on the marts' province_iso,
so this map and the dashboard's country map agree. matplotlib only, nothing fetched at run time.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

from .plot import use_cjk_font

GEOJSON = Path(__file__).resolve().parent / "geodata" / "china.geojson"
NO_DATA = "#e4e4e4"
_CLEARANCE = ((0, 0), (-1.6, 0), (1.6, 0), (0, -0.7), (0, 0.7))  # degrees around a label's anchor
# Suffixes dropped from a label on the map (内蒙古自治区 -> 内蒙古), longest first.
_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")

_VALUES = """
    select d.province_iso, count(*) as places,
           percentile_cont(0.5) within group (order by p.value) as median,
           min(p.unit) as unit, min(p.indicator_name_zh) as name_zh
    from marts.indicator_panel p
    join marts.dim_jurisdiction d on d.jurisdiction_id = p.jurisdiction_id
    where p.indicator_code = :i and p.report_year = :y and p.scope = :s and p.value is not null
      and d.province_iso is not null
    group by d.province_iso"""
_NAMES = """
    select distinct on (province_iso) province_iso, name from marts.dim_jurisdiction
    where level = 'province' and province_iso is not null
    order by province_iso, valid_to desc nulls first"""


def short_name(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def shapes() -> dict[str, list[tuple[list, list]]]:
    """ISO code -> its polygons as (outer ring, holes): 河北's holes are 北京 and 天津."""
    found: dict[str, list] = {}
    for feature in json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        found[feature["properties"]["ISO"]] = [([tuple(pt[:2]) for pt in polygon[0]],
                                                [[tuple(pt[:2]) for pt in hole] for hole in polygon[1:]])
                                               for polygon in polygons]
    return found


def _label_point(ring: list, others: list, x: float, y: float) -> tuple[float, float]:
    """(x, y) if inside the province and no other, else the point of a coarse grid nearest to it that
    is: the centroid of a bent province (甘肃) lies outside it, 河北's inside 北京."""
    from matplotlib.path import Path as Shape

    outer = Shape(ring)

    def inside(points):
        ok = outer.contains_points(points)
        for dx, dy in _CLEARANCE:  # the label's extent, roughly, clear of every other province
            moved = [(px + dx, py + dy) for px, py in points]
            for other in others:
                ok &= ~other.contains_points(moved)
        return [p for p, keep in zip(points, ok) if keep]

    if inside([(x, y)]):
        return x, y
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    grid = [(min(xs) + (max(xs) - min(xs)) * i / 24, min(ys) + (max(ys) - min(ys)) * j / 24)
            for i in range(1, 24) for j in range(1, 24)]
    found = inside(grid)
    return min(found, key=lambda p: (p[0] - x) ** 2 + (p[1] - y) ** 2) if found else (x, y)


def _area_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """|area| and centroid of a ring (shoelace)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-12:
        return 0.0, ring[0][0], ring[0][1]
    return abs(a / 2), cx / (3 * a), cy / (3 * a)


def plot_map(conn, indicator: str, year: int, out: Path, scope: str = "jurisdiction") -> int:
    """Draw the map; returns how many provinces have a value. Raises ValueError when none has."""
    from sqlalchemy import text

    rows = conn.execute(text(_VALUES), {"i": indicator, "y": year, "s": scope}).all()
    if not rows:
        raise ValueError(f"no values of {indicator} for {year}")
    names = dict(conn.execute(text(_NAMES)).all())
    values = {r.province_iso: (float(r.median), r.places) for r in rows}
    draw(values, names, f"{year}年 {rows[0].name_zh} ({rows[0].unit}): 各省所辖地区的中位数", rows[0].unit, out)
    return len(values)


def draw(values: dict[str, tuple[float, int]], names: dict[str, str], title: str, unit: str, out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.colors import ListedColormap, Normalize
    from matplotlib.patches import Polygon
    from matplotlib.path import Path as Shape

    use_cjk_font(plt)
    cmap = ListedColormap(matplotlib.colormaps["YlGnBu"](np.linspace(0.15, 1, 256)))  # the lowest still shows
    low, high = min(v for v, _ in values.values()), max(v for v, _ in values.values())
    norm = Normalize(low - 1, high + 1) if low == high else Normalize(low, high)
    fig, ax = plt.subplots(figsize=(10, 8.4))
    everything = shapes()
    for iso, polygons in everything.items():
        colour = cmap(norm(values[iso][0])) if iso in values else NO_DATA
        for ring, _ in polygons:  # the larger below: 河北 under 北京 and 天津, drawn on it
            ax.add_patch(Polygon(ring, closed=True, facecolor=colour, edgecolor="white", linewidth=0.6,
                                 zorder=2 - min(_area_centroid(ring)[0], 1000) / 1000))
        area, x, y, ring, _ = max((*_area_centroid(ring), ring, holes) for ring, holes in polygons)
        others = [Shape(r) for other, polys in everything.items() if other != iso for r, _ in polys
                  if min(p[0] for p in r) - 3 < x < max(p[0] for p in r) + 3
                  and min(p[1] for p in r) - 3 < y < max(p[1] for p in r) + 3]
        label = short_name(names.get(iso, iso))
        if iso in values:
            value, n = values[iso]
            label += f"\n{round(value, 2):g} ({n})"
        r, g, b, _ = matplotlib.colors.to_rgba(colour)
        ink = "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.5 else "#222222"  # readable on dark blues
        ax.annotate(label, _label_point(ring, others, x, y), ha="center", va="center",
                    fontsize=7 if area > 3 else 5.5, color=ink, zorder=3)
    ax.autoscale_view()
    ax.set_aspect(1 / math.cos(math.radians(36)))  # lon/lat drawn to scale around 36°N
    ax.set_axis_off()
    mappable = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
    fig.colorbar(mappable, ax=ax, shrink=0.5, pad=0.01, label=f"中位数 ({unit})")
    ax.set_title(title, fontsize=13)
    fig.text(0.02, 0.02, "括号内为有该值的地区数; 灰色: 无数据. 边界: Apache Superset 中国地图 (Apache-2.0), 仅示意.",
             fontsize=8, color="#555555")
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=150, bbox_inches="tight")
    plt.close(fig)
