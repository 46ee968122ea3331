"""One place across years, through renames and re-codings (its lineage: dim_jurisdiction), with
every value the panel uses (indicator_panel), each linked to its evidence on its report's page,
the four comparison rates as small charts drawn here as SVG, and its documents and their kinds."""
from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import Route
from sqlalchemy import text

from .pages import exists, render

RATES = (("cmp_head_appearance_rate", "负责人出庭应诉率 head appearance rate"),
         ("cmp_loss_rate", "行政诉讼败诉率 litigation loss rate"),
         ("cmp_correction_rate", "行政复议纠错率 reconsideration correction rate"),
         ("cmp_mediation_success_rate", "调解成功率 mediation success rate"))
W, H, PAD = 220, 90, 18


def chart(points: list[tuple[int, float]]) -> dict:
    """Coordinates of a small line chart of (year, rate 0-100) for the template's <svg>."""
    if not points:
        return {"points": [], "line": ""}
    years = [y for y, _ in points]
    low, high = min(years), max(years)
    span = max(high - low, 1)
    out = []
    for year, value in points:
        x = PAD + (W - 2 * PAD) * ((year - low) / span if high > low else 0.5)
        y = H - PAD - (H - 2 * PAD) * max(0.0, min(float(value), 100.0)) / 100
        out.append({"x": round(x, 1), "y": round(y, 1), "year": year, "value": value})
    return {"points": out, "line": " ".join(f"{p['x']},{p['y']}" for p in out)}


def place_page(request: Request):
    lineage = request.path_params["lineage_id"]
    with request.app.state.engine.connect() as conn:
        if not exists(conn, "marts.dim_jurisdiction"):
            raise HTTPException(404, "the marts are not built yet")
        names = conn.execute(text("""select jurisdiction_id, code, full_name, level, province, valid_from, valid_to,
                status, lineage_current_name from marts.dim_jurisdiction where lineage_id = :l
                order by valid_from nulls first, code"""), {"l": lineage}).all()
        if not names:
            raise HTTPException(404, f"no place {lineage}")
        values = conn.execute(text("""select report_year, indicator_code, indicator_name_zh, scope, value, unit,
                qualifier, report_id, metric_id, source_kind, value_source, jurisdiction_name
                from marts.indicator_panel where lineage_id = :l
                order by indicator_code, scope, report_year"""), {"l": lineage}).all()
        charts = []
        for model, label in RATES:
            rows = conn.execute(text(f"""select report_year, chosen_rate from marts.{model}
                where lineage_id = :l and chosen_rate is not null order by report_year"""), {"l": lineage}).all()
            charts.append({"model": model, "label": label, **chart([(r.report_year, r.chosen_rate) for r in rows])})
        documents = conn.execute(text("""select report_id, report_year, title, kind, issuer, published_on,
                jurisdiction_name from marts.report_coverage where lineage_id = :l
                order by report_year desc, kind, report_id"""), {"l": lineage}).all()
    years = sorted({v.report_year for v in values}, reverse=True)
    table: dict[tuple, dict] = {}
    for v in values:
        table.setdefault((v.indicator_code, v.indicator_name_zh, v.scope), {})[v.report_year] = v
    return render(request, "place.html", lineage_id=lineage, names=names, years=years, table=table,
                  charts=charts, documents=documents, chart_size=(W, H))


routes = [Route("/place/{lineage_id:str}", place_page)]
