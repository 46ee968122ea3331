"""A report's page: its text with the measures as an outline and every figure highlighted at its
evidence, and the actions on a figure (confirm, correct, delete) or on a passage (add a missed
figure). Every action is a correction recorded by fazhi.research.corrections.record, the code of
`fazhi correct`, as the reviewer logged in."""
from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import Route
from sqlalchemy import text

from fazhi.research.corrections import Request as Correction
from fazhi.research.corrections import find_report, parse_value, record, usage, written_unit
from ingest.errors import FazhiError
from ingest.load.models import SCOPES
from ingest.text import find_numbers, format_number

from .access import checked_form
from .figures import pieces, report_figures
from .pages import exists, redirect, render

CONFIRM_REASON = "核对原文无误 checked against the evidence"


def _report(conn, report_id: int):
    try:
        return find_report(conn, str(report_id))
    except FazhiError:
        raise HTTPException(404, f"no report {report_id}") from None


def report_page(request: Request, error: str | None = None, status_code: int = 200, form: dict | None = None):
    report_id = request.path_params["report_id"]
    state = request.app.state.marts_state()
    with request.app.state.engine.connect() as conn:
        report = _report(conn, report_id)
        queued, lineage = {}, None
        if exists(conn, "marts.review_queue"):
            queued = {r.metric_id: (r.queue_rank, list(r.reasons)) for r in conn.execute(text(
                "select metric_id, queue_rank, reasons from marts.review_queue where report_id = :r"),
                {"r": report_id})}
        if exists(conn, "marts.dim_jurisdiction"):
            lineage = conn.execute(text("""select d.lineage_id from core.report r
                join marts.dim_jurisdiction d using (jurisdiction_id) where r.report_id = :r"""),
                                   {"r": report_id}).scalar()
        figures = report_figures(conn, report, state.min_confidence, queued)
        measures = conn.execute(text("""select ordinal, depth, heading, section, start_offset from core.measure
            where report_id = :r order by start_offset, ordinal"""), {"r": report_id}).all()
        indicators = conn.execute(text("select code, name_zh, unit from core.indicator order by code")).all()
        sources = conn.execute(text("""select source_path, file_format, is_primary from core.report_source
            where report_id = :r order by is_primary desc, source_id"""), {"r": report_id}).all()
    starts: dict[int, list[int]] = {}
    for m in measures:
        starts.setdefault(m.start_offset, []).append(m.ordinal)
    selected = request.query_params.get("f", "")
    return render(request, "report.html", status_code=status_code, report=report, figures=figures,
                  pieces=pieces(report.text, figures, starts), measures=[m for m in measures if m.heading],
                  indicators=indicators, scopes=SCOPES, lineage_id=lineage, sources=sources, error=error,
                  selected=f"fig-{selected}" if selected.isdigit() else "", form=form or {},
                  confirm_reason=CONFIRM_REASON)


def _text(form, name: str, limit: int = 2000) -> str:
    value = form.get(name) or ""
    return value[:limit] if isinstance(value, str) else ""


def _figure_action(engine, report_id: int, metric_id: int, action: str, form, who: str) -> str:
    with engine.begin() as conn:
        report = _report(conn, report_id)
        m = conn.execute(text("""select indicator_code, scope, value, breakdown, place_code, place_name
            from core.metric where metric_id = :m and report_id = :r"""), {"m": metric_id, "r": report_id}).first()
        if m is None:
            raise usage(f"report {report_id} has no figure {metric_id}")
        if m.place_code or m.place_name:
            raise usage("this figure is about a place the document lists, not the report's own: "
                        "corrections name the report's own figures")
        if m.breakdown is not None and action != "delete":
            raise usage("a breakdown is part of a figure, not the report's value: it can only be deleted "
                        "(correct or confirm the area-wide figure)")
        reason = _text(form, "reason").strip() or (CONFIRM_REASON if action == "confirm" else "")
        if action == "confirm":
            req = Correction("confirm", m.indicator_code, m.scope, m.value, reason, who)
        elif action == "correct":
            raw = _text(form, "value", 40)
            req = Correction("set", m.indicator_code, m.scope, parse_value(raw), reason, who, unit=written_unit(raw))
            if req.value is None:
                raise usage("give the right value")
        elif action == "delete":
            req = Correction("delete", m.indicator_code, m.scope, m.value, reason, who)
        else:
            raise HTTPException(404)
        if not reason:
            raise usage("say why (the reason is kept with the correction)")
        correction_id, _ = record(conn, report, req)
    done = {"confirm": "confirmed", "correct": f"corrected to {format_number(req.value)}", "delete": "deleted"}
    return f"correction {correction_id}: {m.indicator_code} {done[action]}"


def _add(engine, report_id: int, form, who: str) -> str:
    evidence = _text(form, "evidence", 1000)
    raw = _text(form, "value", 40).strip()
    if not raw:   # the passage's one number, when it states one
        stated = {n.value for n in find_numbers(evidence)}
        if len(stated) != 1:
            raise usage("give the value: the passage states " + (f"{len(stated)} numbers" if stated else "none"))
        raw = format_number(stated.pop())
    scope = _text(form, "scope", 40) or "jurisdiction"
    reason = _text(form, "reason").strip()
    if not reason:
        raise usage("say why (the reason is kept with the correction)")
    req = Correction("add", _text(form, "indicator", 64), scope, parse_value(raw), reason, who, evidence,
                     written_unit(raw))
    with engine.begin() as conn:
        correction_id, _ = record(conn, _report(conn, report_id), req)
    return f"correction {correction_id}: {req.indicator} {format_number(req.value)} added"


async def figure_action(request: Request):
    form = await checked_form(request)
    p = request.path_params
    try:
        message = await run_in_threadpool(_figure_action, request.app.state.engine, p["report_id"], p["metric_id"],
                                          p["action"], form, request.session["reviewer"])
    except FazhiError as exc:
        request.scope["query_string"] = f"f={p['metric_id']}".encode()
        return await run_in_threadpool(report_page, request, str(exc), 400)
    return redirect(f"/report/{p['report_id']}?f={p['metric_id']}#fig-{p['metric_id']}", message, request)


async def add_figure(request: Request):
    form = await checked_form(request)
    report_id = request.path_params["report_id"]
    try:
        message = await run_in_threadpool(_add, request.app.state.engine, report_id, form,
                                          request.session["reviewer"])
    except FazhiError as exc:
        return await run_in_threadpool(report_page, request, str(exc), 400, dict(form))
    return redirect(f"/report/{report_id}", message, request)


routes = [
    Route("/report/{report_id:int}", report_page),
    Route("/report/{report_id:int}/figure/{metric_id:int}/{action:str}", figure_action, methods=["POST"]),
    Route("/report/{report_id:int}/add", add_figure, methods=["POST"]),
]
