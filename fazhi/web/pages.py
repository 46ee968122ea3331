"""What every page shares: the templates (autoescaped, always), the reviewer and CSRF token they
show, and the state of the marts (built when, with which threshold, older than the corrections)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Connection, text
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from ingest.text import format_number

from .access import csrf_token, reviewer

HERE = Path(__file__).resolve().parent
# Autoescape for every template whatever its name: report text is untrusted.
templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                        trim_blocks=True, lstrip_blocks=True)
templates.filters["num"] = lambda v: "" if v is None else format_number(v if isinstance(v, Decimal) else Decimal(str(v)))
templates.filters["pct"] = lambda v: "" if v is None else f"{float(v):.2f}"


def figure(value, unit: str | None, qualifier: str | None = None) -> str:
    """A figure as reports write it: 约/近/超/不足 before the number, 余/多 between number and
    unit (700余人), 以上 after the unit (97%以上)."""
    number = templates.filters["num"](value) if value is not None else ""
    unit, q = unit or "", qualifier or ""
    if q in ("余", "多"):
        return f"{number}{q}{unit}"
    if q == "以上":
        return f"{number}{unit}{q}"
    return f"{q}{number}{unit}"


templates.filters["figure"] = figure

STATUS_LABELS = {"confirmed": "已确认 confirmed", "corrected": "已更正 corrected", "deleted": "已删除 deleted",
                 "added": "已补充 added", "unreviewed": "待核 unreviewed", "low": "低可信度 low confidence",
                 "breakdown": "分项 breakdown", "listed": "所列地区 listed place"}
REASON_LABELS = {"low_confidence": "低于可信度阈值 below the confidence threshold",
                 "rate_discrepancy": "比率与计数不符 rate disagrees with its counts",
                 "out_of_range": "超出合理范围 out of range",
                 "conflict": "文件间数值不一 documents disagree",
                 "non_annual_source": "比较值非取自年度报告 compared value not from the annual report"}
templates.globals.update(STATUS_LABELS=STATUS_LABELS, REASON_LABELS=REASON_LABELS)


def render(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
    context.update(request=request, reviewer=reviewer(request), csrf=csrf_token(request),
                   marts=request.app.state.marts_state(), build=request.app.state.builder.status())
    flash = request.session.pop("flash", None)
    return HTMLResponse(templates.get_template(template).render(flash=flash, **context), status_code=status_code)


def redirect(url: str, flash: str | None = None, request: Request | None = None) -> RedirectResponse:
    if flash and request is not None:
        request.session["flash"] = flash
    return RedirectResponse(url, status_code=303)


def exists(conn: Connection, relation: str) -> bool:
    """Whether the relation is there (and readable): before the first build the marts are not."""
    return conn.execute(text("select to_regclass(:r) is not null and has_table_privilege(to_regclass(:r), 'select')"),
                        {"r": relation}).scalar()


@dataclass(frozen=True)
class MartsState:
    built_at: datetime | None
    min_confidence: float | None
    stale: bool                 # corrections made, revoked or imported since the build

    @property
    def built(self) -> bool:
        return self.built_at is not None


def marts_state(conn: Connection, default_threshold: float) -> MartsState:
    """When the marts were built and whether core.correction changed since (marts.build_info)."""
    now = conn.execute(text("select count(*), max(correction_id), count(revoked_at) from core.correction")).one()
    if not exists(conn, "marts.build_info"):
        return MartsState(None, default_threshold, stale=now[0] > 0)
    row = conn.execute(text("select built_at, min_confidence, corrections, last_correction_id, revocations "
                            "from marts.build_info")).one()
    return MartsState(row.built_at, row.min_confidence,
                      stale=(row.corrections, row.last_correction_id, row.revocations) != tuple(now))
