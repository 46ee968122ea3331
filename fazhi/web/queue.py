"""The review queue: marts.review_queue (built with the marts: which figures need a person and
in which order) with, per row, whether a reviewer has decided on it since, read live from
core.correction. Keyset pagination on queue_rank: every page is an index walk and a LIMIT,
whatever the page number; one query for the rows, one for the count."""
from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.routing import Route
from sqlalchemy import text

from ingest.load.models import LEVELS

from .pages import exists, redirect, render

PAGE = 50
STATUSES = ("unreviewed", "reviewed", "all")

_DECISION = """
    left join lateral (
        select c.action, c.corrected_by from core.correction c
        where c.text_hash = q.text_hash and c.indicator_code = q.indicator_code and c.scope = q.scope
          and c.revoked_at is null
        order by c.corrected_at desc, c.correction_id desc limit 1) d on true"""


_DECIDED = """exists (select 1 from core.correction c where c.text_hash = q.text_hash
    and c.indicator_code = q.indicator_code and c.scope = q.scope and c.revoked_at is null)"""


def filters(request: Request) -> dict:
    """The query string as filters; anything malformed is dropped, never an error."""
    q = request.query_params
    year = q.get("year", "")
    return {"province": q.get("province") or None, "level": q.get("level") if q.get("level") in LEVELS else None,
            "year": int(year) if year.isdigit() and len(year) == 4 else None,
            "indicator": q.get("indicator") or None,
            "status": q.get("status") if q.get("status") in STATUSES else "unreviewed"}


def _where(f: dict) -> str:
    parts = ["true"]
    for column, key in (("province", "province"), ("level", "level"), ("report_year", "year"),
                        ("indicator_code", "indicator")):
        if f[key] is not None:
            parts.append(f"q.{column} = :{key}")
    # (NOT) EXISTS: a semi- or anti-join on the index, also when counting the whole queue.
    if f["status"] == "unreviewed":
        parts.append(f"not {_DECIDED}")
    elif f["status"] == "reviewed":
        parts.append(_DECIDED)
    return " and ".join(parts)


def queue_rows(conn, f: dict, after: int = 0, limit: int = PAGE) -> list:
    return conn.execute(text(f"""
        select q.*, d.action as decision, d.corrected_by as decided_by
        from marts.review_queue q {_DECISION}
        where q.queue_rank > :after and {_where(f)}
        order by q.queue_rank limit :limit"""), {**f, "after": after, "limit": limit}).mappings().all()


def queue_count(conn, f: dict) -> int:
    return conn.execute(text(f"select count(*) from marts.review_queue q where {_where(f)}"), f).scalar()


_CHOICES: dict = {}


def _choices(conn, built_at) -> dict:
    """The filters' options: what the queue holds, read once per build."""
    if built_at not in _CHOICES:
        _CHOICES.clear()
        _CHOICES[built_at] = _read_choices(conn)
    return _CHOICES[built_at]


def _read_choices(conn) -> dict:
    return {
        "provinces": conn.execute(text("select distinct province from marts.review_queue where province is not null "
                                       "order by 1")).scalars().all(),
        "years": conn.execute(text("select distinct report_year from marts.review_queue "
                                   "where report_year is not null order by 1 desc")).scalars().all(),
        "indicators": conn.execute(text("select distinct indicator_code, indicator_name_zh from marts.review_queue "
                                        "order by 1")).all(),
        "levels": LEVELS, "statuses": STATUSES,
    }


def queue_page(request: Request):
    f = filters(request)
    after = request.query_params.get("after", "0")
    after = int(after) if after.isdigit() else 0
    with request.app.state.engine.connect() as conn:
        if not exists(conn, "marts.review_queue"):
            return render(request, "queue.html", rows=[], count=0, f=f, choices=None, after=0, next_after=None)
        rows = queue_rows(conn, f, after, PAGE + 1)
        count = queue_count(conn, f)
        choices = _choices(conn, request.app.state.marts_state().built_at)
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    kept = {k: v for k, v in f.items() if v is not None}
    next_after = rows[-1]["queue_rank"] if more else None
    return render(request, "queue.html", rows=rows, count=count, f=f, choices=choices, after=after,
                  next_after=next_after, first_qs=urlencode(kept), next_qs=urlencode({**kept, "after": next_after}))


def queue_next(request: Request):
    """The first figure the filters leave unreviewed, on its report page (key n)."""
    f = {**filters(request), "status": "unreviewed"}
    with request.app.state.engine.connect() as conn:
        rows = queue_rows(conn, f, 0, 1) if exists(conn, "marts.review_queue") else []
    if not rows:
        return redirect("/queue", "the queue is empty: nothing left to review", request)
    r = rows[0]
    return redirect(f"/report/{r['report_id']}?f={r['metric_id']}#fig-{r['metric_id']}")


routes = [Route("/queue", queue_page), Route("/queue/next", queue_next)]
