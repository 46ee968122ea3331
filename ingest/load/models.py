"""SQLAlchemy models of the `core` schema: the target metadata of the Alembic migrations."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger, Boolean, CheckConstraint, Date, DateTime, ForeignKey, ForeignKeyConstraint, Identity,
    Index, Integer, MetaData, Numeric, SmallInteger, String, Text, UniqueConstraint, func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ingest.parse.classify import KINDS as DOCUMENT_KINDS

SCHEMA = "core"
LEVELS = ("province", "city", "county", "township")
SCOPES = ("jurisdiction", "government_as_party")
QUALIFIERS = ("余", "约", "近", "以上", "超", "不足")
# report.file_format: the readers' FORMATs (ingest/read/readers).
FILE_FORMATS = ("text", "html", "pdf", "docx", "doc", "wps", "rtf", "image")
SECTION_KINDS = ("preamble", "results", "problems", "plans", "other")
KINDS = ("count", "rate", "amount")  # indicator kinds; DOCUMENT_KINDS are the kinds of report

# Stable constraint names, so migrations and downgrades can address them.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} in ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(schema=SCHEMA, naming_convention=NAMING)


class Indicator(Base):
    __tablename__ = "indicator"
    __table_args__ = (
        CheckConstraint(_in("kind", KINDS), name="kind"),
        CheckConstraint("code ~ '^[a-z_]+\\.[a-z_]+$'", name="code_form"),
        {"comment": "指标目录 Indicator catalogue"},
    )
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    family: Mapped[str] = mapped_column(String(32))
    name_zh: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(8))
    core: Mapped[bool] = mapped_column(Boolean)
    numerator: Mapped[str | None] = mapped_column(String(64))
    denominator: Mapped[str | None] = mapped_column(String(64))
    definition: Mapped[str] = mapped_column(Text)
    # Plausible range (catalogue data): a figure outside it is kept, flagged, and never compared.
    min_value: Mapped[float | None] = mapped_column(Numeric)
    max_value: Mapped[float | None] = mapped_column(Numeric)


class Jurisdiction(Base):
    __tablename__ = "jurisdiction"
    __table_args__ = (
        CheckConstraint(_in("level", LEVELS), name="level"),
        CheckConstraint("valid_to is null or valid_to >= valid_from", name="validity"),
        UniqueConstraint("code", "valid_from"),
        {"comment": "行政区划(含历史沿革) Administrative divisions with code history (GB/T 2260)"},
    )
    jurisdiction_id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    code: Mapped[str | None] = mapped_column(String(12), index=True)
    name: Mapped[str] = mapped_column(Text)
    full_name: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(10))
    province: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(Text)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("jurisdiction.jurisdiction_id"))
    valid_from: Mapped[int | None] = mapped_column(SmallInteger)
    valid_to: Mapped[int | None] = mapped_column(SmallInteger)
    status: Mapped[str | None] = mapped_column(String(8))
    successor_codes: Mapped[str | None] = mapped_column(Text)
    lineage_id: Mapped[str] = mapped_column(String(24), index=True)


# A township is known by its name under its county (it has no code in the spine).
Index("uq_jurisdiction_township", Jurisdiction.parent_id, Jurisdiction.name, unique=True,
      postgresql_where=Jurisdiction.level == "township")


class Report(Base):
    __tablename__ = "report"
    __table_args__ = (
        CheckConstraint("report_year between 2000 and 2100", name="report_year"),
        CheckConstraint(_in("file_format", FILE_FORMATS), name="file_format"),
        CheckConstraint(_in("kind", DOCUMENT_KINDS), name="kind"),
        {"comment": "法治政府建设年度报告及其他文件 One row per distinct document, whatever files carry it "
                    "(see report_source)"},
    )
    report_id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)   # of the file first loaded
    # The report's identity: its normalised text without spacing and punctuation (identity.py).
    text_hash: Mapped[str] = mapped_column(String(64), unique=True)
    source_path: Mapped[str] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(Text)
    file_format: Mapped[str] = mapped_column(String(8))
    encoding: Mapped[str] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(Text)
    # annual_report / other_report / news / statistics / other (ingest.parse.classify): the marts
    # prefer annual reports and never compare figures from news or other texts.
    kind: Mapped[str] = mapped_column(String(16))
    issuer: Mapped[str | None] = mapped_column(Text)
    report_year: Mapped[int | None] = mapped_column(SmallInteger)
    published_on: Mapped[date | None] = mapped_column(Date)
    jurisdiction_id: Mapped[int | None] = mapped_column(ForeignKey("jurisdiction.jurisdiction_id"), index=True)
    jurisdiction_name: Mapped[str | None] = mapped_column(Text)
    jurisdiction_candidates: Mapped[list | None] = mapped_column(JSONB)
    text: Mapped[str] = mapped_column(Text)
    # What reading and parsing repaired or left out (replaced bytes, removed control characters,
    # an implausible year left empty), one line each.
    warnings: Mapped[list[str] | None] = mapped_column(ARRAY(Text))
    ocr: Mapped[bool] = mapped_column(Boolean, server_default="false")   # text recognised from page images
    pages: Mapped[int | None] = mapped_column(Integer)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Measure(Base):
    __tablename__ = "measure"
    __table_args__ = (
        CheckConstraint("end_offset >= start_offset and start_offset >= 0", name="offsets"),
        CheckConstraint(_in("section_kind", SECTION_KINDS), name="section_kind"),
        {"comment": "举措 Numbered passages of a report, nested by section"},
    )
    report_id: Mapped[int] = mapped_column(ForeignKey("report.report_id", ondelete="CASCADE"), primary_key=True)
    ordinal: Mapped[int] = mapped_column(Integer, primary_key=True)
    parent_ordinal: Mapped[int | None] = mapped_column(Integer)
    depth: Mapped[int] = mapped_column(SmallInteger)
    section: Mapped[str] = mapped_column(Text)
    heading: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    section_kind: Mapped[str] = mapped_column(String(10))
    topics: Mapped[list[str]] = mapped_column(ARRAY(Text))
    keywords: Mapped[list[str]] = mapped_column(ARRAY(Text))


Index("ix_measure_topics", Measure.topics, postgresql_using="gin")
Index("ix_report_title", Report.title)   # the loader's look-up before 0009; kept for queries by title


class Metric(Base):
    __tablename__ = "metric"
    __table_args__ = (
        ForeignKeyConstraint(["report_id", "measure_ordinal"], ["measure.report_id", "measure.ordinal"],
                             ondelete="CASCADE"),
        CheckConstraint(_in("scope", SCOPES), name="scope"),
        CheckConstraint(f"qualifier is null or {_in('qualifier', QUALIFIERS)}", name="qualifier"),
        CheckConstraint("end_offset > start_offset and start_offset >= 0", name="offsets"),
        CheckConstraint("value >= 0", name="value_non_negative"),
        CheckConstraint("confidence between 0 and 1", name="confidence_range"),
        CheckConstraint(f"place_level is null or {_in('place_level', LEVELS)}", name="place_level"),
        # A table row is the evidence of each figure in it: the value tells them apart.
        UniqueConstraint("report_id", "indicator_code", "scope", "start_offset", "value"),
        {"comment": "指标数值 Numeric facts with their evidence span"},
    )
    metric_id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.report_id", ondelete="CASCADE"), index=True)
    measure_ordinal: Mapped[int] = mapped_column(Integer)
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicator.code"), index=True)
    value: Mapped[float] = mapped_column(Numeric)
    unit: Mapped[str] = mapped_column(String(8))
    qualifier: Mapped[str | None] = mapped_column(String(4))
    scope: Mapped[str] = mapped_column(String(24))
    # The subset the figure covers (涉企, 医疗纠纷, one town...); null = the area total. Not in the
    # unique key: the offset identifies the figure, and one figure is either a total or a subset.
    breakdown: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text)
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    # Outside the indicator's plausible range: kept with its evidence for checking, never compared.
    out_of_range: Mapped[bool] = mapped_column(Boolean, server_default="false")
    # 可信度 How likely the figure is right (0..1, calibrated by the extractor on real text); null:
    # unknown, which passes. dbt compares only figures at or above var('min_confidence').
    confidence: Mapped[float | None] = mapped_column(Numeric)
    # 所列地区 The place or body a figure is about when the document lists several (a provincial
    # statistics page with a row per city): never the report's own total; it fills that place's
    # rows of the panel (dbt int_place_values). The code may be unknown; the name then identifies it.
    place_code: Mapped[str | None] = mapped_column(String(12))
    place_name: Mapped[str | None] = mapped_column(Text)
    place_level: Mapped[str | None] = mapped_column(String(10))


# dbt reads the listed places' figures on every build (int_place_figures): few among millions.
Index("ix_metric_listed_place", Metric.metric_id,
      postgresql_where=Metric.place_code.isnot(None) | Metric.place_name.isnot(None))


class ReportSource(Base):
    __tablename__ = "report_source"
    __table_args__ = (
        CheckConstraint(_in("file_format", FILE_FORMATS), name="file_format"),
        {"comment": "报告的来源文件 Every file that carries a report: the one it was read from and its "
                    "alternates (the same report in another format or encoding)"},
    )
    source_id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.report_id", ondelete="CASCADE"), index=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    source_path: Mapped[str] = mapped_column(Text)
    file_format: Mapped[str] = mapped_column(String(8))
    encoding: Mapped[str] = mapped_column(String(16))
    is_primary: Mapped[bool] = mapped_column(Boolean)     # the file the report's text was read from
    # 来源网址 Where `fazhi collect` fetched the file (its sidecar), and for an attachment the page
    # linking it: a figure traced back to the web. Null for files from elsewhere.
    source_url: Mapped[str | None] = mapped_column(Text)
    source_page: Mapped[str | None] = mapped_column(Text)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ReportNearKey(Base):
    """The loader's near-duplicate look-up (identity.near_keys): a report's keys, one per LSH band
    of its text, each bound to its title, year, place and figures. A table with a b-tree, not an
    array column with GIN: a batch asks for thousands of keys at once, which GIN answers in time
    growing with the table (Postgres picks a scan of every row for a long array), a b-tree in a
    few milliseconds at any size."""
    __tablename__ = "report_near_key"
    __table_args__ = ({"comment": "近似重复查找键 Near-duplicate look-up keys of each report (the loader's)"},)
    near_key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.report_id", ondelete="CASCADE"), primary_key=True,
                                           index=True)


class IngestFailure(Base):
    __tablename__ = "ingest_failure"
    __table_args__ = (
        UniqueConstraint("source_path", "content_hash"),
        {"comment": "读取失败的文件 Files that could not be ingested, with the reason"},
    )
    failure_id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    source_path: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


# confirm: a set that keeps the extracted value (a reviewer checked it against its evidence).
CORRECTION_ACTIONS = ("set", "delete", "add", "confirm")


class Correction(Base):
    """A researcher's correction of an extracted figure. Not tied to report ids: a report is
    deleted and loaded again on a re-parse, and a new version of a document is a new report, so a
    correction names the report by its text (text_hash) and the document by place, year, issuer
    and kind; dbt applies it to every report that matches either (fazhi/research/corrections.py)."""
    __tablename__ = "correction"
    __table_args__ = (
        CheckConstraint(_in("action", CORRECTION_ACTIONS), name="action"),
        CheckConstraint(_in("scope", SCOPES), name="scope"),
        CheckConstraint("action = 'delete' or value is not null", name="value_given"),
        CheckConstraint("action <> 'add' or evidence is not null", name="add_has_evidence"),
        CheckConstraint("length(btrim(reason)) > 0", name="reason_given"),
        {"comment": "人工更正 Corrections of extracted figures, with who made them, when and why; "
                    "they survive re-ingest and re-parse"},
    )
    correction_id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    # Stable across warehouses: what a shared CSV is matched on when imported again.
    correction_uid: Mapped[str] = mapped_column(String(36), unique=True)
    action: Mapped[str] = mapped_column(String(8))
    text_hash: Mapped[str] = mapped_column(String(64), index=True)
    jurisdiction_code: Mapped[str | None] = mapped_column(String(12))
    jurisdiction_name: Mapped[str | None] = mapped_column(Text)
    report_year: Mapped[int | None] = mapped_column(SmallInteger)
    issuer: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(Text)
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicator.code"))
    scope: Mapped[str] = mapped_column(String(24))
    # set/add: the right value; confirm: the value checked and kept; delete: the extracted value
    # that is false (null: every figure).
    value: Mapped[float | None] = mapped_column(Numeric)
    unit: Mapped[str | None] = mapped_column(String(8))
    extracted_value: Mapped[float | None] = mapped_column(Numeric)   # what the marts had, when corrected
    evidence: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    corrected_by: Mapped[str] = mapped_column(Text)
    corrected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by: Mapped[str | None] = mapped_column(Text)


Index("ix_correction_text_hash_indicator_code_scope", Correction.text_hash, Correction.indicator_code,
      Correction.scope)


class Reviewer(Base):
    """Who `fazhi web` lets in: a name (kept as corrected_by) and a scrypt hash of the password."""
    __tablename__ = "reviewer"
    __table_args__ = (
        CheckConstraint("name ~ '^[^[:space:][:cntrl:]]{1,64}$'", name="name_form"),
        {"comment": "审核人 The reviewers fazhi web lets in (scrypt hashes of their passwords)"},
    )
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    password_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    disabled: Mapped[bool] = mapped_column(Boolean, server_default="false")
