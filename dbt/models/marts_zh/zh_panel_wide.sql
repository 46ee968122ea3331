{{ config(alias='宽面板', post_hook="{{ comment_indicator_columns(this, zh=true) }}") }}
-- marts.indicator_panel_wide under Chinese column names: one row per place x year, one column per
-- core indicator named as the catalogue names it (行政复议纠错率...), read when the model compiles.
{% set rows_sql %}select code, name_zh from {{ source('core', 'indicator') }} where core order by code{% endset %}
{% set indicators = run_query(rows_sql).rows if execute else [] %}
select
    {{ zh_place_columns() }}
    jurisdiction_code as "区划代码",
    source_kinds as "来源类型",
    value_sources as "数值来源",
    listed_by_report_ids as "列出报告编号",
    recomputed_indicators as "据数重算指标",
    is_corrected as "已更正",
    corrected_indicators as "更正指标",
    {%- for code, name_zh in indicators %}
    "{{ code | replace('.', '__') }}" as "{{ name_zh }}",
    {%- endfor %}
    lineage_id as "沿革编号"
from {{ ref('indicator_panel_wide') }}
