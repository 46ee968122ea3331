{{ config(alias='面板') }}
-- marts.indicator_panel under Chinese column names and values: the long panel, one row per
-- place x year x indicator x scope, with the value rule (采用依据) and corrections in Chinese.
select
    {{ zh_place_columns() }}
    jurisdiction_code as "区划代码",
    indicator_code as "指标代码",
    indicator_name_zh as "指标",
    core as "核心指标",
    {{ scope_zh('scope') }} as "口径",
    value as "数值",
    unit as "单位",
    qualifier as "约数标记",
    {{ chosen_source_zh('chosen_source') }} as "采用依据",
    {{ value_source_zh('value_source', 'source_kind') }} as "数值来源",
    is_listed as "他文列出",
    {{ kind_zh('source_kind') }} as "来源类型",
    evidence as "原文证据",
    extracted_value as "抽取值",
    {{ zh_correction_columns() }}
    report_id as "报告编号",
    metric_id as "数值编号",
    lineage_id as "沿革编号"
from {{ ref('indicator_panel') }}
