"""`fazhi plot --map` on a real warehouse built from the samples, and plot's near-miss suggestion:
real `fazhi` runs in child processes; the map's figure checked shape by shape."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from sqlalchemy import text

from conftest import ROOT, SAMPLES
from fazhi.research import provmap
from fazhi.warehouse import engine
from fazhi.warehouse.dbt import run_dbt
from ingest.errors import EXIT_USAGE
from ingest.load import ingest_paths

pytestmark = pytest.mark.db
RATE = "litigation.head_appearance_rate"  # four places in 重庆市 state it for 2023


def fazhi(*args: str) -> subprocess.CompletedProcess:
    """The real CLI in a child process on the test warehouse, with a time limit (as tests/reliability/runs.py)."""
    return subprocess.run([sys.executable, "-m", "fazhi", *args], cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ), timeout=120)


def no_traceback(run: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in run.stderr + run.stdout, run.stderr[-2000:]


@pytest.fixture(scope="module")
def built(fresh_schema):
    ingest_paths(engine(), [SAMPLES])
    assert run_dbt(["build", "--quiet"]) == 0


def test_map_png_from_the_cli(built, tmp_path):
    from PIL import Image

    out = tmp_path / "map.png"
    run = fazhi("plot", RATE, "--year", "2023", "--map", "-o", str(out))
    no_traceback(run)
    said = " ".join((run.stdout + run.stderr).split())
    assert run.returncode == 0 and "(provinces with a value: 1)" in said, said
    assert out.stat().st_size > 80_000
    im = Image.open(out).convert("RGB")
    assert im.size[0] > 1000
    colours = im.crop((0, 0, int(im.size[0] * 0.8), im.size[1])).getcolors(maxcolors=1 << 20)  # not the colour bar
    grey = sum(n for n, c in colours if c == (0xE4, 0xE4, 0xE4))
    coloured = sum(n for n, (r, g, b) in colours if b > r + 40)  # the data's blue, not the grey provinces
    assert grey > 100_000 and coloured > 2_000, (grey, coloured)


def test_map_draws_every_province_with_chinese_labels(built, tmp_path, monkeypatch):
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.font_manager import findfont
    from matplotlib.patches import Polygon

    from fazhi.research.plot import cjk_font_path

    matplotlib.rcdefaults()
    charts, savefig = [], Figure.savefig
    monkeypatch.setattr(Figure, "savefig", lambda fig, *a, **kw: (charts.append(fig), savefig(fig, *a, **kw))[1])
    with engine().connect() as conn:
        assert provmap.plot_map(conn, RATE, 2023, tmp_path / "m.png") == 1
        median, n = conn.execute(text("select percentile_cont(0.5) within group (order by value), count(*) from "
                                   "marts.indicator_panel where indicator_code = :i and report_year = 2023 "
                                   "and province = '重庆市' and scope = 'jurisdiction'"), {"i": RATE}).one()
    (fig,) = charts
    ax = fig.axes[0]
    patches = [p for p in ax.patches if isinstance(p, Polygon)]
    assert len(patches) >= 34
    filled = {matplotlib.colors.to_hex(p.get_facecolor()) for p in patches}
    assert provmap.NO_DATA in filled and len(filled) == 2  # grey, and 重庆市's colour
    labels = {t.get_text() for t in ax.texts}
    assert {"北京", "内蒙古", "新疆", "广西", "香港", "台湾", "黑龙江"} <= labels, labels
    assert n == 3 and f"重庆\n{median:g} (3)" in labels, labels  # area-wide figures only (武隆区's own is 98.76)
    assert all(findfont(t.get_fontproperties(), fallback_to_default=False) == str(cjk_font_path()) for t in ax.texts)


def test_the_map_has_a_shape_for_every_province_code(built):
    """The marts' province_iso and the map's shapes are one set of codes."""
    features = json.loads(provmap.GEOJSON.read_text(encoding="utf-8"))["features"]
    with engine().connect() as conn:
        codes = set(conn.execute(text("select province_iso from marts.dim_jurisdiction where level = 'province'"))
                    .scalars())
        missing = conn.execute(text("select count(*) from marts.dim_jurisdiction where code is not null "
                                    "and province_iso is null")).scalar()
        cmp = conn.execute(text("""select count(*), count(*) filter (where c.province_iso = d.province_iso)
            from marts.cmp_head_appearance_rate c join marts.dim_jurisdiction d using (jurisdiction_id)""")).one()
    assert codes == {f["properties"]["ISO"] for f in features} and len(codes) == 34
    assert missing == 0 and cmp[0] == cmp[1] > 0


@pytest.mark.parametrize("code, suggestion", [
    ("correction_rate", "reconsideration.correction_rate"),
    ("litigation.head_apearance_rate", RATE),
])
def test_plot_near_miss_suggests_the_code(built, tmp_path, code, suggestion):
    for extra in ([], ["--map"]):
        run = fazhi("plot", code, "--year", "2023", *extra, "-o", str(tmp_path / "x.png"))
        no_traceback(run)
        assert run.returncode == EXIT_USAGE and len(run.stderr.strip().splitlines()) == 1, run.stderr
        assert f"unknown indicator '{code}'; did you mean {suggestion}" in run.stderr
    assert not (tmp_path / "x.png").exists()


def test_map_with_a_province_is_a_usage_error(built, tmp_path):
    run = fazhi("plot", RATE, "--year", "2023", "--map", "--province", "重庆市", "-o", str(tmp_path / "x.png"))
    assert run.returncode == EXIT_USAGE and "leave out --province" in run.stderr


def test_map_without_values_exits_1(built, tmp_path):
    run = fazhi("plot", RATE, "--year", "1999", "--map", "-o", str(tmp_path / "x.png"))
    assert run.returncode == 1 and "no values of" in run.stdout + run.stderr
