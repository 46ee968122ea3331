"""Rows in Postgres COPY text format, prepared where the report is parsed.

Formatting rows (escaping text, writing arrays as `{"a","b"}` literals) is per-row Python work;
done in the parse workers, it runs on every core, and the one loader only sends the prepared
text. A report's measure and metric rows are prepared without their report_id, which only the
loader knows: `with_report_id` puts it in front of every line with one string replace (a real
newline only ever ends a row: newlines inside values are escaped).
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

NULL = "\\N"

MEASURE_COLUMNS = ("report_id", "ordinal", "parent_ordinal", "depth", "section", "heading", "text",
                   "start_offset", "end_offset", "section_kind", "topics", "keywords")
METRIC_COLUMNS = ("report_id", "measure_ordinal", "indicator_code", "value", "unit", "qualifier", "scope",
                  "breakdown", "evidence", "start_offset", "end_offset", "out_of_range", "confidence", "place_code",
                  "place_name", "place_level")
NEAR_KEY_COLUMNS = ("report_id", "near_key")
NO_PLACE = {}


def field(value) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return array(value)
    return escape(str(value))


def escape(s: str) -> str:
    # str.replace runs at memchr speed; str.translate looks every character of Chinese text up in a dict.
    if "\\" in s:
        s = s.replace("\\", "\\\\")
    return s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def array(items: Iterable[str | None]) -> str:
    """A text[] literal, escaped for COPY: {"a","b \\"c\\""}."""
    inner = ",".join("NULL" if s is None else '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
                     for s in items)
    return escape("{" + inner + "}")


def line(values: Iterable) -> str:
    return "\t".join(map(field, values)) + "\n"


def measure_rows(measures) -> str:
    """core.measure rows without report_id."""
    return "".join(line((m.ordinal, m.parent_ordinal, m.depth, m.section, m.heading, m.text, m.start, m.end,
                         m.section_kind, m.topics, m.keywords)) for m in measures)


def metric_rows(metrics) -> str:
    """core.metric rows without report_id."""
    return "".join(line((m.measure_ordinal, m.indicator, m.value, m.unit, m.qualifier, m.scope, m.breakdown,
                         m.evidence, m.start, m.end, m.out_of_range, m.confidence,
                         *_place(m.place or NO_PLACE))) for m in metrics)


def _place(place: dict) -> tuple:
    # An empty string is no more a place than a missing key (the contract allows both).
    return place.get("code") or None, place.get("name") or None, place.get("level") or None


def with_report_id(rows: str, report_id: int) -> str:
    """Prefix every line of prepared rows with the report_id column."""
    if not rows:
        return ""
    prefix = f"{report_id}\t"
    return prefix + rows[:-1].replace("\n", "\n" + prefix) + "\n"


def near_key_rows(keys) -> str:
    """core.report_near_key rows without report_id."""
    return "".join(f"{k}\n" for k in keys)
