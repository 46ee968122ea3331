{# The place and time columns every marts_zh view starts with: 地区 the short label (武隆区; with
   province and city where a namesake exists; a report whose place is unresolved: the name it
   gives), 地区全称 the full name (重庆市武隆区). #}
{% macro zh_place_columns() -%}
    coalesce(display_name, jurisdiction_name) as "地区",
    jurisdiction_name as "地区全称",
    lineage_name as "地区现名",
    level_zh as "层级",
    province as "省份",
    report_year as "年份",
    period as "时期",
{%- endmacro %}

{# The correction columns of a chosen value, in Chinese (prefix: 政府作为当事人_ for that scope). #}
{% macro zh_correction_columns() -%}
    is_corrected as "已更正",
    {{ correction_action_zh('correction_action') }} as "更正方式",
    correction_reason as "更正理由",
    corrected_by as "更正人",
    corrected_at as "更正时间",
{%- endmacro %}

{# The same comparison view under Chinese column names and values, for dashboards used in Chinese. #}
{% macro zh_comparison(model, rate_zh, numerator_zh, denominator_zh) %}
select
    display_name as "地区",
    jurisdiction_name as "地区全称",
    lineage_name as "地区现名",
    jurisdiction_code as "区划代码",
    level_zh as "层级",
    province as "省份",
    city as "地级市",
    report_year as "年份",
    period as "时期",
    numerator_count as "{{ numerator_zh }}",
    denominator_count as "{{ denominator_zh }}",
    {{ indicator_zh('denominator_basis') }} as "分母依据",
    reported_rate as "报告{{ rate_zh }}",
    recomputed_rate as "重算{{ rate_zh }}",
    chosen_rate as "{{ rate_zh }}",
    {{ chosen_source_zh('chosen_rate_source') }} as "采用依据",
    is_listed as "他文列出",
    {{ zh_correction_columns() }}
    {{ kind_zh('source_kind') }} as "来源类型",
    gap_points as "差距百分点",
    gap_flag as "差距超过0.5",
    rank_in_year as "同年排名",
    dense_rank_in_year as "同年密集排名",
    ties_in_year as "同年并列数",
    position_in_year as "同年位次",
    rank_in_province_level as "省内同级排名",
    dense_rank_in_province_level as "省内同级密集排名",
    ties_in_province_level as "省内同级并列数",
    position_in_province_level as "省内同级位次",
    percentile_in_province_level as "省内同级百分位",
    province_median as "省内同级中位数",
    change_from_previous_year as "较上年变化",
    gov_numerator_count as "政府作为当事人_{{ numerator_zh }}",
    gov_denominator_count as "政府作为当事人_{{ denominator_zh }}",
    gov_reported_rate as "政府作为当事人_报告{{ rate_zh }}",
    gov_chosen_rate as "政府作为当事人_{{ rate_zh }}",
    {{ chosen_source_zh('gov_chosen_rate_source') }} as "政府作为当事人_采用依据",
    gov_is_corrected as "政府作为当事人_已更正",
    {{ kind_zh('gov_source_kind') }} as "政府作为当事人_来源类型",
    report_id as "报告编号",
    lineage_id as "沿革编号"
from {{ ref(model) }}
{% endmacro %}
