{# The values of the marts' English code columns in Chinese, for marts_zh (one place for each
   vocabulary; an unknown value shows as it is rather than as nothing). #}

{# How a chosen value was arrived at (int_chosen_values.chosen_source). #}
{% macro chosen_source_zh(column) -%}
    case {{ column }} when 'stated' then '报告所述' when 'recomputed' then '据数重算'
        when 'corrected' then '人工更正' when 'confirmed' then '人工确认' else {{ column }} end
{%- endmacro %}

{# Whose document the value comes from (value_source): the place's own, or another listing it. #}
{% macro value_source_zh(column, kind_column) -%}
    case when {{ column }} = 'own report' then '本地区文件'
         when {{ column }} like 'listed by %' then '他文列出 (' || {{ kind_zh(kind_column) }} || ')'
         else {{ column }} end
{%- endmacro %}

{# A researcher's correction (fazhi correct): set 改值, add 补录, delete 删除, confirm 确认. #}
{% macro correction_action_zh(column) -%}
    case {{ column }} when 'set' then '改值' when 'add' then '补录' when 'delete' then '删除'
        when 'confirm' then '确认' else {{ column }} end
{%- endmacro %}

{# Where an audited discrepancy stands (audit_rate_discrepancy.resolution). #}
{% macro resolution_zh(column) -%}
    case {{ column }} when 'open' then '待处理' when 'resolved' then '已更正' when 'reviewed' then '已复核 (仍不一致)'
        else {{ column }} end
{%- endmacro %}

{# An indicator code as its Chinese name (the catalogue's), e.g. 分母依据; the code when unknown. #}
{% macro indicator_zh(column) -%}
    coalesce((select i.name_zh from {{ ref('dim_indicator') }} i where i.indicator_code = {{ column }}), {{ column }})
{%- endmacro %}
