"""A parsed report made ready for the loader: what it needs to decide (identity, figures) and its
rows in COPY format. Built in the parse workers, so the single loader only decides and sends.
Also the work a parse worker does for one file, with every failure turned into a reason."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ingest.parse import ParsedReport, parse_file
from ingest.parse.jurisdiction import Resolution
from ingest.read import Limits, UnreadableFile, shown

from . import identity
from .copyrows import field as copy_field
from .copyrows import measure_rows, metric_rows, near_key_rows

REPORT_COLUMNS = ("report_id", "content_hash", "text_hash", "source_path", "source_url", "file_format", "encoding",
                  "title", "kind", "issuer", "report_year", "published_on", "jurisdiction_id", "jurisdiction_name",
                  "jurisdiction_candidates", "text", "warnings", "ocr", "pages")


@dataclass
class Prepared:
    source: str
    content_hash: str
    text_key: str
    file_format: str
    encoding: str
    title: str | None
    year: int | None
    place: str | None
    text: str
    resolution: Resolution
    report_fields: tuple        # REPORT_COLUMNS after jurisdiction_id, formatted for COPY
    report_head: tuple          # REPORT_COLUMNS between report_id and jurisdiction_id, formatted
    measure_rows: str
    metric_rows: str
    figures: list[tuple[str, float, str, str]]
    near_keys: list[int] | None  # identity.near_keys; none without a title (no near-duplicate check)
    near_key_rows: str
    metrics: int
    warnings: list[str] = field(default_factory=list)
    report_id: int | None = None   # set by the loader
    source_url: str | None = None  # where the file was fetched from, and the page linking it (its sidecar)
    source_page: str | None = None

    def report_line(self, report_id: int, jurisdiction_id: int | None) -> str:
        return "\t".join((str(report_id), *self.report_head, copy_field(jurisdiction_id), *self.report_fields)) + "\n"


@dataclass
class Failed:
    source: str
    content_hash: str
    reason: str


def prepare(parsed: ParsedReport) -> Prepared:
    doc, meta, juris = parsed.doc, parsed.meta, parsed.jurisdiction
    cands = json.dumps(juris.candidates, ensure_ascii=False) if juris.candidates else None
    skel = identity.skeleton(doc.text)
    figs = figures(parsed)
    keys = identity.near_keys(skel, (meta.title, meta.report_year, juris.name, figs)) if meta.title else None
    head = (doc.content_hash, identity.skeleton_key(skel), doc.source, meta.source_url, doc.file_format, doc.encoding,
            meta.title, parsed.kind, meta.issuer, meta.report_year, meta.published_on)
    rest = (juris.name, cands, doc.text, list(parsed.warnings) or None, doc.ocr, doc.pages)
    return Prepared(
        source=doc.source, content_hash=doc.content_hash, text_key=head[1], file_format=doc.file_format,
        encoding=doc.encoding, title=meta.title, year=meta.report_year, place=juris.name, text=doc.text,
        resolution=juris, report_head=tuple(map(copy_field, head)), report_fields=tuple(map(copy_field, rest)),
        measure_rows=measure_rows(parsed.measures), metric_rows=metric_rows(parsed.metrics),
        figures=figs, near_keys=keys, near_key_rows=near_key_rows(keys or ()), metrics=len(parsed.metrics),
        warnings=list(parsed.warnings), source_url=(doc.origin or {}).get("url"),
        source_page=(doc.origin or {}).get("page"))


def figures(parsed: ParsedReport) -> list[tuple[str, float, str, str]]:
    """What two files of one report must agree on exactly (see write._near).

    A listed place's figures are kept, with the place: they are what the document states as much
    as its own totals, so a version that changes one city's row (or swaps two rows) is another
    version. Confidence is left out: it is the extractor's judgement, not the document's content,
    and the same report read from a PDF and from a page can be read by different means."""
    return sorted((m.indicator, float(m.value), m.scope or "", (m.place or {}).get("name") or "")
                  for m in parsed.metrics)


def parse_one(path: Path, digest: str, limits: Limits) -> Prepared | Failed:
    """Read, parse and prepare one file; whatever goes wrong is this file's reason, not the batch's."""
    try:
        return prepare(parse_file(path, limits=limits))
    except UnreadableFile as exc:
        return Failed(shown(path), digest, str(exc))
    except MemoryError:
        return Failed(shown(path), digest, "out of memory while parsing (lower FAZHI_MAX_FILE_MB or split the file)")
    except Exception as exc:  # a parser bug on one file must not stop the batch
        return Failed(shown(path), digest, f"parser error: {type(exc).__name__}: {one_line(exc)}")


def one_line(exc: BaseException, limit: int = 300) -> str:
    first = next((line.strip() for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
    return first if len(first) <= limit else first[:limit - 1] + "…"
