"""Corrections shared between warehouses as CSV: `fazhi corrections export` and `import`.

The file is for people as much as for fazhi: UTF-8 with a BOM so Excel shows the Chinese, and
every text cell neutralised so that a reason or evidence beginning with = + - @ is never run as a
formula (csvcells.py; import strips the quote export added, so a file goes round unchanged).
value and extracted_value are numbers and are written as numbers.

Import is all or nothing: every row is checked as `fazhi correct` checks a correction
(corrections.check_value, plus the columns' own rules) before anything is written; a file with a
bad row imports nothing and names every bad row, one line each.
"""
from __future__ import annotations

import csv
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, text

from ingest.errors import EXIT_USAGE, FazhiError
from ingest.load.models import CORRECTION_ACTIONS, DOCUMENT_KINDS, SCOPES

from .corrections import check_value, parse_value, usage
from .csvcells import neutralise, restore

CSV_COLUMNS = ("correction_uid", "action", "text_hash", "jurisdiction_code", "jurisdiction_name", "report_year",
               "issuer", "kind", "title", "indicator_code", "scope", "value", "unit", "extracted_value", "evidence",
               "reason", "corrected_by", "corrected_at", "revoked_at", "revoked_by")
REQUIRED = ("correction_uid", "action", "text_hash", "indicator_code", "scope", "reason", "corrected_by",
            "corrected_at")
NUMBERS = ("value", "extracted_value")
_YEARS = range(1949, 2101)


def export_csv(conn: Connection, out: Path) -> int:
    rows = conn.execute(text(f"select {', '.join(CSV_COLUMNS)} from core.correction "
                             f"order by corrected_at, correction_id")).all()
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8-sig", newline="") as f:   # BOM: Excel shows the Chinese
        writer = csv.writer(f)
        writer.writerow(CSV_COLUMNS)
        for row in rows:
            writer.writerow([neutralise(_cell(v)) for v in row])
    return len(rows)


def _cell(v):
    return "" if v is None else v.isoformat() if isinstance(v, datetime) else v


@dataclass
class Imported:
    added: int = 0
    revoked: int = 0
    unchanged: int = 0


def import_csv(conn: Connection, path: Path) -> Imported:
    """Add the corrections of a CSV (from `fazhi corrections export`) that are new here and apply
    its revocations; corrections already here (same correction_uid) are left as they are."""
    rows, errors = read_rows(conn, path)
    if errors:
        raise FazhiError(f"{path}: nothing imported; {len(errors)} bad row{'s' * (len(errors) != 1)}:\n"
                         + "\n".join(errors), EXIT_USAGE)
    done = Imported()
    for row in rows:
        present = conn.execute(text("select revoked_at from core.correction where correction_uid = :correction_uid"),
                               row).first()
        if present is None:
            conn.execute(text(f"insert into core.correction ({', '.join(CSV_COLUMNS)}) values "
                              f"({', '.join(':' + c for c in CSV_COLUMNS)})"), row)
            done.added += 1
        elif present.revoked_at is None and row["revoked_at"] is not None:
            conn.execute(text("update core.correction set revoked_at = :revoked_at, revoked_by = :revoked_by "
                              "where correction_uid = :correction_uid"), row)
            done.revoked += 1
        else:
            done.unchanged += 1
    return done


def read_rows(conn: Connection, path: Path) -> tuple[list[dict], list[str]]:
    """The file's rows as insert parameters, and a line per bad row ("row N: reason", N the
    spreadsheet's row number, the header being row 1). A file that is no UTF-8 CSV at all is
    refused whole, in one line."""
    indicators = {r.code: r for r in conn.execute(text(
        "select code, unit, kind, min_value, max_value from core.indicator"))}
    rows: list[dict] = []
    errors: list[str] = []
    n = 1
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
            if missing:
                raise usage(f"{path} is not a corrections CSV: no column {', '.join(missing)}; nothing imported")
            for n, raw in enumerate(reader, start=2):
                row = _row(raw, indicators)
                if isinstance(row, str):
                    errors.append(f"row {n}: {row}")
                else:
                    rows.append(row)
    except UnicodeDecodeError:
        raise usage(f"{path} is not UTF-8 text (near row {n + 1}): save it as CSV UTF-8, as `fazhi corrections "
                    f"export` writes it; nothing imported") from None
    except csv.Error as exc:
        raise usage(f"{path} is not a CSV fazhi can read (row {n + 1}: {exc}); nothing imported") from None
    return rows, errors


def _row(raw: dict, indicators: dict) -> dict | str:
    """One CSV row as insert parameters, or what is wrong with it."""
    cells = {c: restore(raw.get(c) or "") for c in CSV_COLUMNS}
    if any("\x00" in v for v in cells.values()):
        return "a cell contains a NUL character"
    row = {c: v.strip() or None for c, v in cells.items()}
    row["evidence"] = cells["evidence"] or None   # quoted as the report has it, spacing included
    try:
        uuid.UUID(row["correction_uid"] or "")
    except ValueError:
        return "correction_uid must be a UUID"
    if row["action"] not in CORRECTION_ACTIONS:
        return f"action must be one of {', '.join(CORRECTION_ACTIONS)}"
    if row["scope"] not in SCOPES:
        return f"scope must be one of {', '.join(SCOPES)}"
    if not re.fullmatch(r"[0-9a-f]{64}", row["text_hash"] or ""):
        return "text_hash must be 64 hex digits"
    ind = indicators.get(row["indicator_code"] or "")
    if ind is None:
        return f"unknown indicator {row['indicator_code']!r}"
    if row["jurisdiction_code"] and not re.fullmatch(r"\d{1,12}", row["jurisdiction_code"]):
        return "jurisdiction_code must be an area code (digits)"
    row["kind"] = row["kind"] or "other"
    if row["kind"] not in DOCUMENT_KINDS:
        return f"kind must be one of {', '.join(DOCUMENT_KINDS)}"
    if not row["reason"] or not row["corrected_by"]:
        return "reason and corrected_by are required"
    if row["action"] == "add" and not row["evidence"]:
        return "an add needs its evidence"
    try:
        for c in NUMBERS:
            row[c] = parse_value(row[c], c)
        # The same check as `fazhi correct`: the value as its unit column states it.
        check_value(ind, row["action"], row["value"], row["unit"])
        if row["extracted_value"] is not None:   # what the marts had: any figure a warehouse holds
            check_value(ind, "delete", row["extracted_value"])
    except FazhiError as exc:
        return str(exc)
    row["unit"] = ind.unit
    if row["report_year"]:
        if not row["report_year"].isdigit() or int(row["report_year"]) not in _YEARS:
            return f"report_year must be a year ({_YEARS.start}-{_YEARS.stop - 1})"
        row["report_year"] = int(row["report_year"])
    for c in ("corrected_at", "revoked_at"):
        try:
            row[c] = datetime.fromisoformat(row[c]) if row[c] else None
        except ValueError:
            return f"{c} must be a date and time (ISO 8601, as export writes it)"
    if row["corrected_at"] is None:
        return "corrected_at is required"
    return row
