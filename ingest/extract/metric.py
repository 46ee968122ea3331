"""What extraction produces (a Metric: one stated figure with its evidence) and what it is told
about the report (its text, year and own names)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ingest.text.numbers import to_json_number


@dataclass
class Metric:
    indicator: str
    value: Decimal
    unit: str
    qualifier: str | None
    scope: str
    evidence: str
    start: int
    end: int
    measure_ordinal: int | None
    weight: int = 2
    # The subset a figure is limited to (涉企, 医疗纠纷, one town or department...): not the area total.
    breakdown: str | None = None
    # The value lies outside the indicator's plausible range (indicators.yaml): kept, but suspect.
    out_of_range: bool = False
    # How the figure was read (sentence.before.w2, table.cell, absence ...): confidence.py's key.
    mechanism: str = ""
    # How likely the figure is right, from its mechanism, calibrated on the real-text dev set.
    confidence: float | None = None
    # The place a figure is about when a page lists several (a row per city): {"name", "code",
    # "level"}. Not the report's own total.
    place: dict | None = None
    # A table figure's first header cell (省份, 县区...): tells a column of place names. Not output.
    table_head: str | None = None

    def as_json(self) -> dict:
        return {"indicator": self.indicator, "value": to_json_number(self.value), "unit": self.unit,
                "qualifier": self.qualifier, "scope": self.scope, "breakdown": self.breakdown,
                "evidence": self.evidence, "start": self.start, "end": self.end,
                "measure_ordinal": self.measure_ordinal, "out_of_range": self.out_of_range,
                "mechanism": self.mechanism, "confidence": self.confidence, "place": self.place}


@dataclass
class ReportContext:
    """The report a text belongs to, as metadata found it."""
    text: str = ""
    report_year: int | None = None
    own_names: str = ""     # the reporting body's own names (title, issuer, jurisdiction): never a subset
    kind: str | None = None  # the document's kind (annual_report, statistics, news ...): confidence reads it
    warnings: list[str] = field(default_factory=list)   # extraction's, for the report's warnings
