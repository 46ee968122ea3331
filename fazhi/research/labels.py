"""The names and Chinese labels of the panel's columns wherever they leave the warehouse: the
export's column names (one short-name scheme for CSV, Parquet and Stata), Stata's variable and
value labels, and the codebook.

Short names: a column keeps its mart name when it has at most 32 characters (Stata's limit, and
a name Stata accepts: letters, digits, underscores). A longer one (a wide-panel indicator column
such as reconsideration__litigation_after_rate) has its topic abbreviated by TOPIC_ABBREVIATIONS
(recon__litigation_after_rate); what is still too long is cut to 32 characters. Every format
gets the same names, and `fazhi export` writes the mapping beside the file (<name>.columns.csv).
"""
from __future__ import annotations

import re

STATA_NAME_LIMIT = 32
STATA_LABEL_LIMIT = 80

TOPIC_ABBREVIATIONS = {
    "reconsideration": "recon", "litigation": "litig", "enforcement": "enforce",
    "legal_education": "legaledu", "normative_docs": "normdocs", "major_decisions": "majdec",
    "notarization": "notary", "legal_aid": "legalaid", "mediation": "mediat",
}

# The Chinese label of each column the panels (long and wide) and the comparison marts hold; the
# wide panel's indicator columns take the catalogue's name and unit instead (indicator_label).
LABELS_ZH = {
    "lineage_id": "沿革编号", "jurisdiction_id": "区划编号", "jurisdiction_code": "区划代码",
    "jurisdiction_name": "地区全称", "display_name": "地区", "lineage_name": "地区现名",
    "level": "层级", "level_zh": "层级 (中文)", "province": "省份", "city": "地级市",
    "report_year": "年份", "period": "时期 (报告年度 1 月 1 日)",
    "indicator_code": "指标代码", "indicator_name_zh": "指标", "core": "核心指标",
    "indicator_kind": "指标类型", "scope": "口径", "value": "数值 (采用值)", "unit": "单位",
    "qualifier": "约数标记", "chosen_source": "采用依据", "report_id": "来源报告编号",
    "source_kind": "来源类型", "metric_id": "数值编号", "evidence": "原文证据",
    "extracted_value": "抽取值 (解析器读出)", "value_source": "数值来源", "is_listed": "他文列出",
    "is_corrected": "已更正", "correction_action": "更正方式", "correction_reason": "更正理由",
    "corrected_by": "更正人", "corrected_at": "更正时间",
    "source_kinds": "来源类型 (本行)", "value_sources": "数值来源 (本行)",
    "listed_by_report_ids": "列出本行数值的报告编号", "recomputed_indicators": "据数重算的指标",
    "corrected_indicators": "经更正的指标",
    "reported_rate": "报告所述比率", "recomputed_rate": "据数重算比率", "chosen_rate": "采用比率",
    "chosen_rate_source": "采用依据", "numerator_count": "分子计数", "denominator_count": "分母计数",
    "denominator_basis": "分母依据", "gap_points": "差距百分点", "gap_flag": "差距超过0.5",
    "rank_in_year": "同年排名", "dense_rank_in_year": "同年密集排名", "ties_in_year": "同年并列数",
    "position_in_year": "同年位次", "rank_in_province_level": "省内同级排名",
    "dense_rank_in_province_level": "省内同级密集排名", "ties_in_province_level": "省内同级并列数",
    "position_in_province_level": "省内同级位次",
}

# Stata value labels: the codes of a text column as numbers, each with its Chinese label. A value
# not listed gets the next number, labelled as it is.
VALUE_LABELS = {
    "source_kind": {"annual_report": "年度报告", "other_report": "其他报告", "statistics": "统计",
                    "news": "新闻", "other": "其他"},
    "scope": {"jurisdiction": "全地区", "government_as_party": "政府作为当事人"},
    "chosen_source": {"stated": "报告所述", "recomputed": "据数重算", "corrected": "人工更正",
                      "confirmed": "人工确认"},
    "level": {"province": "省级", "city": "地级", "county": "县级", "township": "乡级"},
    "indicator_kind": {"count": "计数", "rate": "比率", "amount": "金额"},
}


def short_name(column: str) -> str:
    """The column's name in every export format (see the module's doc)."""
    name = re.sub(r"\W", "_", column)
    if len(name) <= STATA_NAME_LIMIT:
        return name
    topic, sep, rest = name.partition("__")
    if sep and topic in TOPIC_ABBREVIATIONS:
        name = TOPIC_ABBREVIATIONS[topic] + sep + rest
    return name[:STATA_NAME_LIMIT]


def short_names(columns) -> dict[str, str]:
    """column -> export name; refuses two columns that would get one name."""
    names = {c: short_name(c) for c in columns}
    seen: dict[str, str] = {}
    for column, name in names.items():
        if name in seen:
            raise ValueError(f"columns {seen[name]} and {column} would both be exported as {name}")
        seen[name] = column
    return names


def indicator_column(code: str) -> str:
    """The wide panel's column of an indicator code (dbt: code with . as __)."""
    return code.replace(".", "__")


def fit_label(label: str) -> str:
    return label if len(label) <= STATA_LABEL_LIMIT else label[:STATA_LABEL_LIMIT - 1] + "…"
