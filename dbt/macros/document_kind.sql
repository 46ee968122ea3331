{#
  Where a document kind stands when a value is chosen for a place, year and indicator:
  annual reports (1) first; where none states the figure, other government reports (2), then
  statistics pages (3) fill the gap. News items and other texts rank null: their figures stay
  visible in fct_metric but never feed the comparison views or the panel.
#}
{% macro kind_rank(column) -%}
    case {{ column }} when 'annual_report' then 1 when 'other_report' then 2 when 'statistics' then 3 end
{%- endmacro %}

{# The kinds that may feed comparisons, for accepted_values tests and filters. #}
{% macro comparable_kinds() -%}
    ('annual_report', 'other_report', 'statistics')
{%- endmacro %}

{# The kind in Chinese, for marts_zh (年度报告/其他报告/统计/新闻/其他). #}
{% macro kind_zh(column) -%}
    case {{ column }} when 'annual_report' then '年度报告' when 'other_report' then '其他报告'
        when 'statistics' then '统计' when 'news' then '新闻' when 'other' then '其他' end
{%- endmacro %}
