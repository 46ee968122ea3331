{# The level in Chinese (省级/地级/县级/乡级), shared by dim_jurisdiction and marts_zh. #}
{% macro level_zh(column) -%}
    case {{ column }} when 'province' then '省级' when 'city' then '地级' when 'county' then '县级' else '乡级' end
{%- endmacro %}
