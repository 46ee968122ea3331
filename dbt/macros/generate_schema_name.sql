{# Use the folder's schema name as is (marts, not public_marts): BI users see stable names.
   `fazhi build` builds into <schema>__next (var schema_suffix) and swaps the finished schemas in
   one transaction, so readers never see the marts half built. #}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ (custom_schema_name | trim if custom_schema_name else target.schema) ~ var('schema_suffix', '') }}
{%- endmacro %}
