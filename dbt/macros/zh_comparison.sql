{# The place and time columns every marts_zh view starts with. #}
{% macro zh_place_columns() -%}
    jurisdiction_name as "地区",
    display_name as "地区全称",
    lineage_name as "地区现名",
    level_zh as "层级",
    province as "省份",
    report_year as "年份",
    period as "时期",
{%- endmacro %}

{# The same comparison view under Chinese column names, for dashboards used in Chinese. #}
{% macro zh_comparison(model, rate_zh, numerator_zh, denominator_zh) %}
select
    jurisdiction_name as "地区",
    display_name as "地区全称",
    lineage_name as "地区现名",
    jurisdiction_code as "区划代码",
    level_zh as "层级",
    province as "省份",
    city as "地级市",
    report_year as "年份",
    period as "时期",
    numerator_count as "{{ numerator_zh }}",
    denominator_count as "{{ denominator_zh }}",
    denominator_basis as "分母依据",
    reported_rate as "报告{{ rate_zh }}",
    recomputed_rate as "重算{{ rate_zh }}",
    chosen_rate as "{{ rate_zh }}",
    chosen_rate_source as "采用依据",
    {{ kind_zh('source_kind') }} as "来源类型",
    gap_points as "差距百分点",
    gap_flag as "差距超过0.5",
    rank_in_province_level as "省内同级排名",
    percentile_in_province_level as "省内同级百分位",
    province_median as "省内同级中位数",
    change_from_previous_year as "较上年变化",
    gov_numerator_count as "政府作为当事人_{{ numerator_zh }}",
    gov_denominator_count as "政府作为当事人_{{ denominator_zh }}",
    gov_reported_rate as "政府作为当事人_报告{{ rate_zh }}",
    gov_chosen_rate as "政府作为当事人_{{ rate_zh }}",
    {{ kind_zh('gov_source_kind') }} as "政府作为当事人_来源类型",
    lineage_id as "沿革编号"
from {{ ref(model) }}
{% endmacro %}
