{{ config(alias='比率核对') }}
-- marts.audit_rate_discrepancy under Chinese column names and values (处理状态: 待处理 / 已更正 / 已复核).
select
    {{ zh_place_columns() }}
    title as "标题",
    {{ kind_zh('kind') }} as "文件类型",
    indicator_name_zh as "比率",
    scope_zh as "口径",
    reported_rate as "报告比率",
    numerator_count as "分子",
    denominator_count as "分母",
    {{ indicator_zh('denominator_basis') }} as "分母依据",
    recomputed_rate as "重算比率",
    gap_points as "差距百分点",
    extracted_reported_rate as "抽取报告比率",
    extracted_recomputed_rate as "抽取重算比率",
    extracted_gap_points as "抽取差距百分点",
    {{ resolution_zh('resolution') }} as "处理状态",
    is_corrected as "已更正",
    {{ correction_action_zh('resolution_action') }} as "更正方式",
    resolved_by as "更正人",
    resolved_reason as "更正理由",
    resolved_at as "更正时间",
    report_id as "报告编号",
    lineage_id as "沿革编号"
from {{ ref('audit_rate_discrepancy') }}
