{{ config(alias='比率核对') }}
-- marts.audit_rate_discrepancy under Chinese column names.
select
    {{ zh_place_columns() }}
    title as "标题",
    {{ kind_zh('kind') }} as "文件类型",
    indicator_name_zh as "比率",
    scope_zh as "口径",
    reported_rate as "报告比率",
    numerator_count as "分子",
    denominator_count as "分母",
    recomputed_rate as "重算比率",
    gap_points as "差距百分点",
    report_id as "报告编号",
    lineage_id as "沿革编号"
from {{ ref('audit_rate_discrepancy') }}
