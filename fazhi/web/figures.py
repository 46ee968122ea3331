"""A report's figures and what reviewers decided about each, read live from core (not from the
marts, which show decisions only after the next build), and the report's text cut into pieces so
the template can highlight every figure where its evidence is, escaped like any other text.

The decision per report x indicator x scope follows dbt's int_corrected_figures: the latest set,
confirm, add or delete-without-value in force decides; a delete with a value removes the figures
of that value.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Connection, text

from fazhi.research.corrections import Report

DECISIVE = ("set", "confirm", "add")


@dataclass
class Figure:
    metric_id: int | None          # None: a figure a reviewer added
    indicator_code: str
    indicator_name: str
    value: Decimal
    unit: str
    qualifier: str | None
    scope: str
    breakdown: str | None
    confidence: Decimal | None
    evidence: str
    start: int | None
    end: int | None
    measure_ordinal: int | None
    listed_place: str | None
    status: str = "unreviewed"
    new_value: Decimal | None = None     # what a set made of it
    decided_by: str | None = None
    decided_reason: str | None = None
    decided_at: object = None
    reasons: list[str] = field(default_factory=list)   # why the review queue holds it
    queue_rank: int | None = None

    @property
    def key(self) -> str:
        return f"fig-{self.metric_id}" if self.metric_id is not None else f"add-{self.start}-{self.indicator_code}"

    @property
    def actionable(self) -> bool:
        """Corrections name a report's own area-wide value: breakdowns can only be deleted and a
        listed place's figures are not the report's to correct."""
        return self.metric_id is not None and self.listed_place is None


def corrections_of(conn: Connection, report: Report) -> list:
    """The corrections in force that apply to the report: by its text, or by its document (place,
    year, issuer and kind), as int_correction_matches matches them; oldest first."""
    return conn.execute(text("""
        select * from core.correction c
        where c.revoked_at is null
          and (c.text_hash = :h
               or (c.jurisdiction_name = :name and c.report_year = :year and c.kind = :kind
                   and coalesce(c.issuer, '') = coalesce(:issuer, '')
                   and c.jurisdiction_code is not distinct from cast(:code as varchar)))
        order by c.corrected_at, c.correction_id"""),
        {"h": report.text_hash, "name": report.jurisdiction_name, "year": report.report_year, "kind": report.kind,
         "issuer": report.issuer, "code": report.jurisdiction_code}).mappings().all()


def report_figures(conn: Connection, report: Report, threshold: float, queued: dict[int, tuple]) -> list[Figure]:
    """Every figure of the report (text order) with its status, plus the figures reviewers added.
    `queued`: metric_id -> (queue_rank, reasons) from marts.review_queue."""
    rows = conn.execute(text("""
        select m.metric_id, m.indicator_code, i.name_zh, m.value, m.unit, m.qualifier, m.scope, m.breakdown,
               m.confidence, m.evidence, m.start_offset, m.end_offset, m.measure_ordinal,
               coalesce(m.place_name, m.place_code) as listed_place
        from core.metric m join core.indicator i on i.code = m.indicator_code
        where m.report_id = :r order by m.start_offset, m.metric_id"""), {"r": report.report_id}).all()
    figures = [Figure(*row) for row in rows]
    names = dict(conn.execute(text("select code, name_zh from core.indicator")).all())
    decisive: dict[tuple, dict] = {}
    deleted_values: dict[tuple, dict] = {}
    for c in corrections_of(conn, report):
        key = (c["indicator_code"], c["scope"])
        if c["action"] in DECISIVE or (c["action"] == "delete" and c["value"] is None):
            decisive[key] = c
        else:
            deleted_values[key + (c["value"],)] = c
    for f in figures:
        f.queue_rank, f.reasons = queued.get(f.metric_id, (None, []))
        key = (f.indicator_code, f.scope)
        d = decisive.get(key)
        by_value = deleted_values.get(key + (f.value,))
        if f.listed_place is not None:
            f.status = "listed"
        elif by_value is not None or (d is not None and d["action"] == "delete"):
            _decided(f, "deleted", by_value or d)
        elif d is not None and d["action"] in ("set", "confirm") and f.breakdown is None:
            same = d["value"] == f.value
            _decided(f, "confirmed" if d["action"] == "confirm" and same else "corrected", d)
            f.new_value = None if same else d["value"]
        elif f.breakdown is not None:
            f.status = "breakdown"
        elif f.confidence is not None and f.confidence < Decimal(str(threshold)):
            f.status = "low"
    for key, d in decisive.items():
        if d["action"] == "add" or (d["action"] in ("set", "confirm") and not any(
                f.indicator_code == key[0] and f.scope == key[1] and f.breakdown is None for f in figures)):
            at = report.text.find(d["evidence"]) if d["evidence"] else -1
            added = Figure(None, key[0], names.get(key[0], key[0]), d["value"], d["unit"] or "", None, key[1], None,
                           None, d["evidence"] or "", at if at >= 0 else None,
                           at + len(d["evidence"]) if at >= 0 else None, None, None)
            _decided(added, "added", d)
            figures.append(added)
    figures.sort(key=lambda f: (f.start is None, f.start or 0, f.metric_id or 0))
    return figures


def _decided(f: Figure, status: str, c) -> None:
    f.status, f.decided_by, f.decided_reason, f.decided_at = status, c["corrected_by"], c["reason"], c["corrected_at"]


@dataclass
class Piece:
    text: str
    figures: list[Figure]        # the figures whose evidence covers it (none: plain text)
    starts: list[Figure]         # the figures whose evidence starts here (their anchors)
    measures: list[int]          # the measures that start here (their anchors)

    @property
    def status(self) -> str:
        return self.figures[0].status if self.figures else ""

    @property
    def figure_keys(self) -> str:
        return " ".join(f.key for f in self.figures)


def pieces(report_text: str, figures: list[Figure], measure_starts: dict[int, list[int]]) -> list[Piece]:
    """The text cut at every evidence's start and end and every measure's start (evidence may
    overlap: a piece lists every figure covering it)."""
    placed = [f for f in figures if f.start is not None and 0 <= f.start < f.end <= len(report_text)]
    cuts = {0, len(report_text), *measure_starts}
    for f in placed:
        cuts.update((f.start, f.end))
    bounds = sorted(c for c in cuts if 0 <= c <= len(report_text))
    starting: dict[int, list[Figure]] = {}
    for f in placed:
        starting.setdefault(f.start, []).append(f)
    out, active = [], []
    for a, b in zip(bounds, bounds[1:]):   # a sweep: each piece looks only at the figures open on it
        active = [f for f in active if f.end > a] + starting.get(a, [])
        out.append(Piece(report_text[a:b], list(active), starting.get(a, []), measure_starts.get(a, [])))
    return out
