"""A ranked bar chart of one indicator in one year, with Chinese labels (Noto Sans CJK SC)."""
from __future__ import annotations

from pathlib import Path


def cjk_font_path() -> Path:
    import mplfonts

    path = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
    if not path.exists():
        raise FileNotFoundError(f"CJK font missing from the mplfonts package: {path}")
    return path


def indicator_values(conn, indicator: str, year: int, province: str | None = None,
                     scope: str = "jurisdiction") -> list:
    """The chart's data: each place's chosen value of the indicator in the year (the panel's,
    int_chosen_values: the value cmp_* and the exports show too), highest first, ties by code."""
    from sqlalchemy import text

    return conn.execute(text("""
        select jurisdiction_name, value, unit, indicator_name_zh, jurisdiction_code, chosen_source, is_corrected
        from marts.indicator_panel
        where indicator_code = :i and report_year = :y and scope = :s
          and (cast(:p as text) is null or province = :p)
        order by value desc, jurisdiction_code nulls last, lineage_id"""),
                        {"i": indicator, "y": year, "s": scope, "p": province}).all()


def use_cjk_font(plt) -> None:
    """Every label of the next charts in the CJK font: the default one draws Chinese as empty boxes."""
    from matplotlib import font_manager

    font_path = cjk_font_path()
    font_manager.fontManager.addfont(str(font_path))
    plt.rcParams["font.family"] = font_manager.FontProperties(fname=str(font_path)).get_name()
    plt.rcParams["axes.unicode_minus"] = False


def plot_indicator(conn, indicator: str, year: int, out: Path, province: str | None = None,
                   scope: str = "jurisdiction") -> int:
    """Draw the chart; returns the number of bars. Raises ValueError when there is no data."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = indicator_values(conn, indicator, year, province, scope)
    if not rows:
        raise ValueError(f"no values of {indicator} for {year}" + (f" in {province}" if province else ""))
    use_cjk_font(plt)
    names = [r[0] for r in rows][::-1]
    values = [float(r[1]) for r in rows][::-1]
    unit, name_zh = rows[0][2], rows[0][3]
    fig, ax = plt.subplots(figsize=(9, 1.2 + 0.45 * len(rows)))
    bars = ax.barh(names, values, color="#3a6ea5")
    ax.bar_label(bars, labels=[f"{v:g}" for v in values], padding=3)
    where = f"{province} " if province else ""
    ax.set_title(f"{where}{year}年 {name_zh} ({unit}) 排名")
    ax.set_xlabel(f"{name_zh} ({unit})")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=150)
    plt.close(fig)
    return len(rows)
