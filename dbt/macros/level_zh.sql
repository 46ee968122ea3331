{# The level in Chinese (省级/地级/县级/乡级), shared by dim_jurisdiction and the marts; null when unknown. #}
{% macro level_zh(column) -%}
    case {{ column }} when 'province' then '省级' when 'city' then '地级' when 'county' then '县级'
        when 'township' then '乡级' end
{%- endmacro %}

{# The scope in Chinese: 全地区 (area-wide) or 政府作为当事人 (the government itself as a party). #}
{% macro scope_zh(column) -%}
    case {{ column }} when 'jurisdiction' then '全地区' when 'government_as_party' then '政府作为当事人' end
{%- endmacro %}
