{# Use the folder's schema name as is (marts, not public_marts): BI users see stable names. #}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name | trim if custom_schema_name else target.schema }}
{%- endmacro %}
