"""What researchers and dashboards use: the read-only role, exports, charts, dbt docs."""
import subprocess
import sys

import pandas as pd
import psycopg
import pytest

from conftest import ROOT, SAMPLES
from fazhi.research.export import export_panel
from fazhi.research.plot import plot_indicator
from fazhi.warehouse import database_url, engine
from fazhi.warehouse.config import with_user
from fazhi.warehouse.dbt import build_marts, run_dbt
from fazhi.warehouse.passwords import new_password
from fazhi.warehouse.roles import grant_reader
from ingest.load import ingest_paths

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def built(fresh_schema):
    ingest_paths(engine(), [SAMPLES])
    assert run_dbt(["build", "--quiet"]) == 0


def test_reader_role_reads_marts_only(built):
    password = new_password()
    with engine().begin() as conn:
        grant_reader(conn, "dash_reader", password)
    assert run_dbt(["run", "--quiet", "--select", "cmp_head_appearance_rate"]) == 0  # views replaced: grant kept
    assert build_marts(["run", "--quiet"]) == 0  # schemas swapped in: grants carried over
    assert build_marts(["run", "--quiet"]) == 0  # incremental: per_report in place, the rest swapped
    with psycopg.connect(with_user(database_url(), "dash_reader", password)) as conn:
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("create temp table t (a int)")
        conn.rollback()
        # Even with read-only switched off, privileges allow no writes and no other schemas.
        conn.execute("set default_transaction_read_only = off")
        conn.commit()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("create temp table t (a int)")
        conn.rollback()
        assert conn.execute("select count(*) from marts.cmp_head_appearance_rate").fetchone()[0] >= 1
        assert conn.execute('select count(*) from marts_zh."复议纠错率"').fetchone()[0] >= 1
        for sql in ("select count(*) from core.report", "select count(*) from staging.stg_reports",
                    "create table marts.x (a int)", "create table public.x (a int)"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(sql)
            conn.rollback()


@pytest.mark.parametrize("fmt", ["csv", "parquet", "dta"])
def test_export_keeps_chinese(built, tmp_path, fmt):
    out = tmp_path / f"panel.{fmt}"
    with engine().connect() as conn:
        n = export_panel(conn, fmt, out)
    df = {"csv": lambda p: pd.read_csv(p, encoding="utf-8-sig"), "parquet": pd.read_parquet,
          "dta": pd.read_stata}[fmt](out)
    assert len(df) == n > 30
    assert "重庆市武隆区" in set(df["jurisdiction_name"])
    row = df[(df["jurisdiction_name"] == "重庆市武隆区") & (df["indicator_code"] == "litigation.hearings")]
    assert float(row["value"].iloc[0]) == 83


def test_export_wide_via_cli(built, tmp_path):
    out = tmp_path / "wide.dta"
    subprocess.run([sys.executable, "-m", "fazhi", "export", "panel", "--format", "dta", "--wide", "--out", str(out)],
                   check=True, cwd=ROOT, capture_output=True)
    df = pd.read_stata(out)
    assert "重庆市武隆区" in set(df["jurisdiction_name"]) and "litigation__hearings" in df.columns


def test_plot_draws_chinese(built, tmp_path):
    from PIL import Image

    out = tmp_path / "chart.png"
    with engine().connect() as conn:
        n = plot_indicator(conn, "legal_aid.cases", 2023, out, province="重庆市")
    assert n == 2 and out.stat().st_size > 10_000
    assert Image.open(out).size[0] > 1000
    with engine().connect() as conn, pytest.raises(ValueError, match="no values"):
        plot_indicator(conn, "legal_aid.cases", 1999, tmp_path / "none.png")


def test_chart_uses_the_cjk_font(built, tmp_path, monkeypatch):
    """Every Chinese label of the chart itself is set in the CJK font, which has its glyphs (a
    chart in the default font draws empty boxes, and saves as a PNG all the same)."""
    import warnings

    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.font_manager import findfont
    from matplotlib.ft2font import FT2Font
    from matplotlib.text import Text

    from fazhi.research.plot import cjk_font_path

    matplotlib.rcdefaults()   # an earlier chart in this process must not have set the font for this one
    charts, savefig = [], Figure.savefig
    monkeypatch.setattr(Figure, "savefig", lambda fig, *a, **kw: (charts.append(fig), savefig(fig, *a, **kw))[1])
    with engine().connect() as conn, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plot_indicator(conn, "legal_aid.cases", 2023, tmp_path / "chart.png", province="重庆市")
    assert not [str(w.message) for w in caught if "missing from" in str(w.message)]   # matplotlib's "Glyph … missing"
    (fig,) = charts
    labels = [t for t in fig.findobj(Text) if any("\u4e00" <= ch <= "\u9fff" for ch in t.get_text())]
    shown = {t.get_text() for t in labels}
    assert "重庆市武隆区" in shown and any(x.endswith("排名") for x in shown), shown
    for t in labels:
        font = findfont(t.get_fontproperties(), fallback_to_default=False)
        assert font == str(cjk_font_path()), (t.get_text(), font)
        face = FT2Font(font)
        assert all(face.get_char_index(ord(ch)) for ch in t.get_text() if not ch.isspace()), t.get_text()


def test_dbt_docs_generate(built, tmp_path):
    """Into a target folder of its own: a catalog an earlier run left in dbt/target proves nothing."""
    import json

    assert run_dbt(["docs", "generate", "--quiet", "--target-path", str(tmp_path)]) == 0
    catalog = json.loads((tmp_path / "catalog.json").read_text(encoding="utf-8"))
    tables = {n["metadata"]["schema"] + "." + n["metadata"]["name"] for n in catalog["nodes"].values()}
    assert {"marts.cmp_correction_rate", "marts.indicator_panel", "marts_zh.复议纠错率"} <= tables, tables
    assert (tmp_path / "index.html").stat().st_size > 10_000
