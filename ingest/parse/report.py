"""Report in, structure out: the pure step shared by `fazhi parse` and `fazhi ingest`."""
from __future__ import annotations

import re

from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date
from pathlib import Path

from ingest.extract import Metric, ReportContext, extract_metrics
from ingest.read import Document, Limits, UnreadableFile, read_bytes, read_path, shown, time_budget

from .classify import classify
from .jurisdiction import Resolution, aliases, divisions, resolve, resolve_tiers
from .measures import Measure, split_measures
from .page_place import NATION, NATIONAL_BODY, narrow, page_place
from .metadata import Metadata, extract_metadata
from .tagging import keyword_tables, tag


@dataclass
class ParsedReport:
    doc: Document
    meta: Metadata
    jurisdiction: Resolution
    kind: str = "other"
    measures: list[Measure] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)   # the document's, then the parser's

    def as_json(self) -> dict:
        published: date | None = self.meta.published_on
        out = {
            "source": self.doc.source,
            "kind": self.kind,
            "title": self.meta.title,
            "jurisdiction": self.jurisdiction.as_json(),
            "issuer": self.meta.issuer,
            "report_year": self.meta.report_year,
            "published_on": published.isoformat() if published else None,
            "source_url": self.meta.source_url,
            "encoding": self.doc.encoding,
            "format": self.doc.file_format,
            "ocr": self.doc.ocr,
            "pages": self.doc.pages,
            "measures": [m.as_json() for m in self.measures],
            "metrics": [m.as_json() for m in self.metrics],
            "warnings": list(self.warnings),
        }
        if self.jurisdiction.candidates:
            out["jurisdiction"]["candidates"] = self.jurisdiction.candidates
        return out


def parse_document(doc: Document, with_keywords: bool = True) -> ParsedReport:
    text = doc.text
    meta = extract_metadata(text, doc.context)
    # The page's first lines narrow a short name even when no head was found (天山网 新疆新闻 … 巴州：…).
    tiers, context = meta.place_evidence(doc.context, text[:max(meta.body_start, 200)])
    year_of_place = meta.report_year or (meta.published_on.year if meta.published_on else None)
    juris = resolve_tiers(tiers, context, year_of_place)
    if meta.title and _NATIONAL_TITLE.match(meta.title):   # 2022年全国人民调解组织调解…: the country's figures
        juris = Resolution(name=NATION)
    issuer_place = resolve([meta.issuer], context, year_of_place) if meta.issuer else Resolution()
    juris = _short_title_place(juris, meta, issuer_place)
    if juris.name is None and juris.candidates:
        juris = narrow(juris.candidates, text, year_of_place)
    if juris.name is None and not juris.candidates:
        juris = page_place(text, " ".join(x for x in (meta.title, meta.opening, text[:300]) if x), year_of_place)
    if juris.name is None and meta.issuer and NATIONAL_BODY.match(meta.issuer):
        juris = Resolution(name=NATION)   # a ministry or the supreme court reports on the country
    measures = split_measures(text, meta.body_start)
    if with_keywords:
        tag(measures)
    kind = classify(text, meta.title, doc.context)
    juris = _issuer_area(juris, meta, issuer_place, kind)
    own = " ".join(x for x in (meta.title, meta.issuer, juris.name) if x)
    # A news item's year is the event's (召开2024年工作会议), not that of the figures it reports;
    # but an item that gives figures for several years (2020年1至7月，… 2019年，…) is about the latest.
    year = _latest_figure_year(text, meta.published_on) if kind == "news" else meta.report_year
    if year:
        meta.report_year = year   # the item reports on its figures' year, not its event's
    report_ctx = ReportContext(text, year, own, kind)
    metrics = extract_metrics(text, measures, report_ctx)
    resolve_places(metrics, juris, year_of_place)
    warnings = [*doc.warnings, *meta.warnings, *report_ctx.warnings]
    flagged = sum(m.out_of_range for m in metrics)
    if flagged:
        warnings.append(f"{flagged} figure{'s' * (flagged != 1)} outside the indicator's plausible range "
                        f"(kept, flagged out_of_range)")
    return ParsedReport(doc, meta, juris, kind=kind, measures=measures, metrics=metrics, warnings=warnings)


_NATIONAL_TITLE = re.compile(r"^(?:\d{4}年度?|去年|今年|上半年|前三季度)?全国(?:共|各级|法院|检察|人民调解|行政复议|法律援助|司法行政"
                             r"|公证|律师|行政(?:诉讼|应诉|案件))")
# A month span (2024年1-10月482件) dates the figures after it even without a comma.
_OPENING_YEAR = re.compile(r"(?:^|[。；;，,\n]|据统计|统计显示)\s*((?:19|20)\d{2})年(?:(?:\d{1,2}月)?(?:\s*[至到\-—~]\s*\d{1,2}月份?)?"
                           r"(?:全年|上半年|下半年|前三季度|以来)?[，,]|\d{1,2}月?\s*[至到\-—~]\s*\d{1,2}月份?)")


def _short_title_place(juris: Resolution, meta: Metadata, issuer_place: Resolution) -> Resolution:
    """湘鄂黄山周边五乡镇…年会, issued by 安乡县司法局: a place the title gives only by a short name
    (黄山, also a mountain) yields to the issuer's full name in another province."""
    d = juris.division
    if d is None or not meta.title or d.name in meta.title or d.full_name in meta.title:
        return juris
    return issuer_place if issuer_place.code and issuer_place.code[:2] != d.code[:2] else juris


def _issuer_area(juris: Resolution, meta: Metadata, issuer_place: Resolution, kind: str) -> Resolution:
    """记者从北京市政府法制办获悉，北京市昌平区在全市率先…: a news item's source body reports from
    its own area; the district its headline names is a part of it. (Not a body on the 来源 line:
    that may only have posted a town's news.)"""
    if kind != "news" or not juris.code or meta.issuer == meta.page_source:
        return juris
    return issuer_place if issuer_place.code and _is_ancestor(issuer_place.code, juris.code) else juris


def _is_ancestor(outer: str, inner: str) -> bool:
    """Division codes: 110000 contains 110114; 440300 contains 440307 and 440307010."""
    prefix = outer[:2] if outer[2:6] == "0000" else outer[:4] if outer[4:6] == "00" else outer[:6]
    return inner != outer and inner.startswith(prefix) and len(outer) <= 6


def _latest_figure_year(text: str, published) -> int | None:
    """The latest of two or more years that open a clause of figures (2019年，全区… / 2020年1月至7月，…),
    not after the page's date."""
    last = published.year if published else None
    years = {int(y) for y in _OPENING_YEAR.findall(text) if last is None or int(y) <= last}
    return max(years) if len(years) >= 2 else None


def resolve_places(metrics: list[Metric], own: Resolution, year: int | None) -> None:
    """The code and full name of each listed place extraction named (历下区 -> 山东省济南市历下区),
    when the name alone, near the report's own place, means one division. A place that turns out to
    be the report's own is no listed place; a group (A县、B县) or a body (市中院) keeps its name."""
    found: dict[str, Resolution] = {}
    for m in metrics:
        name = m.place["name"] if m.place else ""
        if not name or "、" in name:
            continue
        provinces = _provinces()
        if m.table_head and "省" in m.table_head and name in provinces:   # 省份 | 河南: the province
            d = provinces[name]
            m.place = None if d.code == own.code else {"name": d.full_name, "code": d.code, "level": d.level}
            continue
        if name not in found:
            found[name] = resolve([name], [own.name] if own.name else [], year)
        res = found[name]
        # The whole name must be the division's: 市中 inside 市中院 is no 市中区.
        if res.code is None or name != res.township and (res.division is None or name not in aliases(res.division)):
            continue
        m.place = None if res.code == own.code else {"name": res.name, "code": res.code, "level": res.level}


@lru_cache(maxsize=1)
def _provinces() -> dict:
    """Province-level divisions by every name they go by (河南, 河南省, 广西, 广西壮族自治区)."""
    return {a: d for d in divisions() if d.level == "province" and d.valid_to is None for a in aliases(d)}


def parse_file(path: str | Path, with_keywords: bool = True, limits: Limits | None = None) -> ParsedReport:
    """Read and parse one file within the size and time limits (default: from the environment)."""
    limits = limits or Limits.from_env()
    load_tables(with_keywords)
    with time_budget(limits.file_seconds):
        return parse_document(read_path(path, limits), with_keywords)


def load_tables(with_keywords: bool = True) -> None:
    """Load what every parse reads before a file's clock starts, once per process: the indicator
    catalogue, the division and township indexes (about 0.5 s together) and jieba's dictionaries.
    The budget is for the file; and jieba's loader catches every exception, the budget's own
    included, so an alarm inside it would let the file parse on unbounded."""
    from ingest.extract import catalogue

    from . import jurisdiction, townships

    catalogue.load()
    jurisdiction._index()
    townships._index()
    if with_keywords:
        keyword_tables()


def parse_bytes(data: bytes, source: str = "<bytes>", is_html: bool | None = None) -> ParsedReport:
    return parse_document(read_bytes(data, source, is_html))


def parse_json(path: Path, with_keywords: bool = True, limits: Limits | None = None) -> dict:
    """`fazhi parse --json`'s object for one file: the parse, or {"source", "error"} with the reason."""
    try:
        return parse_file(path, with_keywords, limits).as_json()
    except UnreadableFile as exc:
        return {"source": shown(path), "error": str(exc)}
    except Exception as exc:  # a parser bug on one file must not stop the batch
        return {"source": shown(path), "error": f"parser error: {type(exc).__name__}: {exc}"}
