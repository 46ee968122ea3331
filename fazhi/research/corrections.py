"""Researchers' corrections of extracted figures: a value set right, a figure confirmed (checked
against its evidence and kept), a false figure deleted, a missed figure added with its evidence
quoted from the report. `fazhi correct` and `fazhi web` both record through `record`.

A correction is a row of core.correction, never a change to core.metric: ingest owns the extracted
rows and writes them again on a re-parse. It names the report by its text (text_hash, the report's
identity whatever file carries it) and the document by place, year, issuer and kind, so dbt
(int_correction_matches, int_corrected_figures) applies it to that report after any re-ingest or
re-parse and to later versions of the same document. Every correction carries who made it, when
and why, and can be revoked, exported to CSV and imported by another team (sharing.py). Every
value comes in through check_value, however it comes.
"""
from __future__ import annotations

import getpass
import os
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import Connection, text

from ingest.errors import EXIT_USAGE, FazhiError
from ingest.load.models import SCOPES
from ingest.read import file_hash
from ingest.text import figure_problem, find_numbers, format_number


def usage(message: str) -> FazhiError:
    return FazhiError(message, EXIT_USAGE)


def default_user() -> str:
    """Who is correcting: FAZHI_USER when set (a shared login), else the login name."""
    return os.environ.get("FAZHI_USER") or getpass.getuser()


@dataclass(frozen=True)
class Report:
    report_id: int
    text_hash: str
    jurisdiction_code: str | None
    jurisdiction_name: str | None
    report_year: int | None
    issuer: str | None
    kind: str
    title: str | None
    text: str

    @property
    def label(self) -> str:
        return f"report {self.report_id} ({self.jurisdiction_name or '?'} {self.report_year or '?'}, " \
               f"{self.title or 'untitled'})"


_REPORT_SQL = """
    select r.report_id, r.text_hash, j.code, coalesce(j.full_name, r.jurisdiction_name), r.report_year, r.issuer,
           r.kind, r.title, r.text
    from core.report r left join core.jurisdiction j using (jurisdiction_id)"""


def find_report(conn: Connection, ref: str) -> Report:
    """REPORT as the user gives it: a report id (fct_metric.report_id) or a file that was loaded."""
    if ref.isdigit():
        row = conn.execute(text(_REPORT_SQL + " where r.report_id = :r"), {"r": int(ref)}).first()
        if row is None:
            raise usage(f"no report {ref} in the warehouse (report ids are in marts.fct_metric.report_id)")
        return Report(*row)
    path = Path(ref)
    if not path.is_file():
        raise usage(f"REPORT must be a report id or a file that was loaded; {ref} is neither")
    digest = file_hash(path)
    row = conn.execute(text(_REPORT_SQL + " join core.report_source s using (report_id) where s.content_hash = :h"),
                       {"h": digest}).first()
    if row is None:
        raise usage(f"{ref} was not loaded: fazhi ingest it first")
    return Report(*row)


def indicator(conn: Connection, code: str):
    """The core.indicator row check_value reads; an unknown code is refused with the nearest ones."""
    row = conn.execute(text("select code, unit, kind, min_value, max_value from core.indicator where code = :c"),
                       {"c": code}).first()
    if row is None:
        import difflib

        codes = conn.execute(text("select code from core.indicator")).scalars().all()
        near = difflib.get_close_matches(code, codes, n=3)
        raise usage(f"unknown indicator {code!r}" + (f"; did you mean {', '.join(near)}?" if near else
                                                      " (codes: select indicator_code from marts.dim_indicator)"))
    return row


def _figures(conn: Connection, report_id: int, code: str, scope: str) -> list:
    """The report's extracted figures of the indicator and scope, breakdowns included, in text order.
    Its own figures only: a place the document lists (a row per city) is not the report's to
    correct here, and dbt applies corrections to the own figures alone (int_corrected_figures).
    Figures below the confidence threshold are in: correcting or confirming one brings it in."""
    return conn.execute(text("""
        select value, breakdown from core.metric
        where report_id = :r and indicator_code = :c and scope = :s
          and place_code is null and place_name is null
        order by start_offset"""),
                        {"r": report_id, "c": code, "s": scope}).all()


def _value_in_marts(conn: Connection, report_id: int, code: str, scope: str) -> Decimal | None:
    """The report's value the marts use now (dbt chose it: per_report.int_report_indicator_values),
    kept with a correction for the record; None before the first build or the report's first."""
    if conn.execute(text("select to_regclass('per_report.int_report_indicator_values')")).scalar() is None:
        return None
    return conn.execute(text("""select value from per_report.int_report_indicator_values
                                where report_id = :r and indicator_code = :c and scope = :s"""),
                        {"r": report_id, "c": code, "s": scope}).scalar()


def _listing(figures) -> str:
    return ", ".join(f"{format_number(f.value)}{' (' + f.breakdown + ')' if f.breakdown else ''}" for f in figures)


def locate_evidence(report_text: str, evidence: str) -> str:
    """The evidence as the report's stored text has it: quoted exactly, or with other spacing or
    full-width digits. Refused when the text does not contain it: a figure is added only with
    words the report states."""
    from ingest.read.normalize import normalize

    quoted = normalize(evidence.strip())
    if quoted and quoted in report_text:
        return quoted
    pattern = r"\s*".join(re.escape(c) for c in re.sub(r"\s+", "", quoted))
    found = re.search(pattern, report_text) if pattern else None
    if found is None:
        raise usage("the evidence is not in the report's text: quote the sentence as the report states it")
    return found.group()


def check_states(evidence: str, value: Decimal) -> None:
    """The evidence must state the value (2.1万件 states 21000), or the figure would be invented."""
    stated = [m.value for m in find_numbers(evidence)]
    if not any(v == value for v in stated):
        said = ", ".join(format_number(v) for v in stated) or "no figure"
        raise usage(f"the evidence does not state {format_number(value)} (it states {said})")


def parse_value(raw: str | None, what: str = "VALUE") -> Decimal | None:
    """A value as written (96.39, 96.39%, 1,234); whether it can be one is check_value's."""
    if raw is None or raw.strip() == "":
        return None
    try:
        return Decimal(raw.strip().replace(",", "").rstrip("%％"))
    except InvalidOperation:
        raise usage(f"{what} must be a number, got {raw[:40]!r}") from None


def written_unit(raw: str | None) -> str | None:
    """The unit a value was written with: 96.39% is a rate."""
    return "%" if raw and raw.strip().endswith(("%", "％")) else None


def check_value(ind, action: str, value: Decimal | None, unit: str | None = None) -> None:
    """Whether `value` can be what a correction of indicator `ind` (a core.indicator row) says
    (a confirm is checked as a set: a value out of range is not one to keep):
    the one check of `fazhi correct`, `corrections import` and every other way a correction comes
    in. Any value must be a figure the warehouse can hold (ingest.text.figure_problem: finite,
    0 to 10^15, six decimals at most) in the indicator's unit. A set or add must also lie in the
    indicator's plausible range and, for a count, be whole; a delete's value may not (it names
    the false figure, and a figure out of range is often the one deleted)."""
    if value is None:
        if action != "delete":
            raise usage(f"a {action} needs a value (VALUE)")
        return
    problem = figure_problem(value)
    if problem:
        raise usage(f"{ind.code}: {problem}")
    if unit and unit != ind.unit:
        raise usage(f"{format_number(value)}{unit} is not in {ind.code}'s unit ({ind.unit})")
    if action == "delete":
        return
    low, high = ind.min_value, ind.max_value
    if (low is not None and value < low) or (high is not None and value > high):
        raise usage(f"{format_number(value)} is outside {ind.code}'s plausible range "
                    f"{format_number(Decimal(low or 0))}-{format_number(Decimal(high)) if high is not None else '∞'} "
                    f"{ind.unit}")
    if ind.kind == "count" and value != value.to_integral_value():
        raise usage(f"{format_number(value)} is not a whole number: {ind.code} counts {ind.unit}")


@dataclass
class Request:
    action: str
    indicator: str
    scope: str
    value: Decimal | None
    reason: str
    by: str
    evidence: str | None = None
    unit: str | None = None     # as VALUE was written (96.39%), checked against the indicator's


_VERB = {"set": "correct", "confirm": "confirm"}


def confirmed_value(conn: Connection, report: Report, code: str, scope: str) -> Decimal:
    """The value a confirmation without VALUE keeps: the report's one area-wide figure of the
    indicator (several that differ must be told apart by VALUE)."""
    values = sorted({f.value for f in _figures(conn, report.report_id, code, scope) if f.breakdown is None})
    if len(values) != 1:
        raise usage(f"{report.label} states {len(values) or 'no'} different {code} figures ({scope})"
                    + (f": {', '.join(format_number(v) for v in values)}; give the VALUE to confirm" if values else ""))
    return values[0]


def check_request(conn: Connection, report: Report, req: Request) -> tuple[str | None, Decimal | None, str]:
    """Validate a correction against the report; returns (evidence as stored, extracted value, unit)."""
    if req.scope not in SCOPES:
        raise usage(f"--scope must be one of {', '.join(SCOPES)}")
    if not req.reason.strip():
        raise usage("--reason must say why (it is kept with the correction)")
    ind = indicator(conn, req.indicator)
    figures = _figures(conn, report.report_id, req.indicator, req.scope)
    check_value(ind, req.action, req.value, req.unit)
    if req.action in ("set", "confirm") and not figures:
        raise usage(f"{report.label} has no {req.indicator} figure ({req.scope}) to {_VERB[req.action]}: "
                    f"add the missed figure with --add and --evidence")
    if req.action == "confirm" and not any(f.value == req.value and f.breakdown is None for f in figures):
        raise usage(f"{report.label} has no {req.indicator} figure of {format_number(req.value)} ({req.scope}) "
                    f"to confirm; its figures: {_listing(figures)} (a confirmation keeps the extracted value: "
                    f"set another value without --confirm)")
    if req.action == "add" and any(f.breakdown is None for f in figures):
        raise usage(f"{report.label} already states {req.indicator} ({req.scope}): {_listing(figures)}; "
                    f"correct it without --add")
    if req.action == "delete":
        if not figures:
            raise usage(f"{report.label} has no {req.indicator} figure ({req.scope}) to delete")
        if req.value is not None and not any(f.value == req.value for f in figures):
            raise usage(f"{report.label} has no {req.indicator} figure of {format_number(req.value)} "
                        f"({req.scope}); its figures: {_listing(figures)}")
    evidence = None
    if req.evidence or req.action == "add":
        if not req.evidence:
            raise usage("--add needs --evidence: the sentence of the report that states the figure")
        evidence = locate_evidence(report.text, req.evidence)
        check_states(evidence, req.value)
    return evidence, _value_in_marts(conn, report.report_id, req.indicator, req.scope), ind.unit


def record(conn: Connection, report: Report, req: Request) -> tuple[int, Decimal | None]:
    """Check and store a correction; returns its id and the value the marts had."""
    evidence, extracted, unit = check_request(conn, report, req)
    row = conn.execute(text("""
        insert into core.correction (correction_uid, action, text_hash, jurisdiction_code, jurisdiction_name,
            report_year, issuer, kind, title, indicator_code, scope, value, unit, extracted_value, evidence, reason,
            corrected_by)
        values (:uid, :action, :text_hash, :code, :name, :year, :issuer, :kind, :title, :indicator, :scope, :value,
            :unit, :extracted, :evidence, :reason, :by)
        returning correction_id"""), {
        "uid": str(uuid.uuid4()), "action": req.action, "text_hash": report.text_hash,
        "code": report.jurisdiction_code, "name": report.jurisdiction_name, "year": report.report_year,
        "issuer": report.issuer, "kind": report.kind, "title": report.title, "indicator": req.indicator,
        "scope": req.scope, "value": req.value, "unit": unit, "extracted": extracted, "evidence": evidence,
        "reason": req.reason.strip(), "by": req.by}).scalar()
    return row, extracted


def revoke(conn: Connection, correction_id: int, by: str) -> None:
    row = conn.execute(text("select revoked_at from core.correction where correction_id = :i"),
                       {"i": correction_id}).first()
    if row is None:
        raise usage(f"no correction {correction_id} (fazhi corrections list)")
    if row.revoked_at is not None:
        raise usage(f"correction {correction_id} was already revoked on {row.revoked_at:%Y-%m-%d %H:%M}")
    conn.execute(text("update core.correction set revoked_at = now(), revoked_by = :b where correction_id = :i"),
                 {"i": correction_id, "b": by})


def listing(conn: Connection, revoked: bool = False) -> list:
    """Corrections (in force, or all), newest first, with whether their report is loaded now."""
    return conn.execute(text(f"""
        select c.*, exists (select 1 from core.report r where r.text_hash = c.text_hash) as report_loaded
        from core.correction c {'' if revoked else 'where c.revoked_at is null'}
        order by c.corrected_at desc, c.correction_id desc""")).mappings().all()
