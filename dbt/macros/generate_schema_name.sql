{# Use the folder's schema name as is (marts, not public_marts): BI users see stable names.
   `fazhi build` builds into <schema>__next (var schema_suffix) and swaps the finished schemas in
   one transaction, so readers never see the marts half built. Schemas listed in var
   in_place_schemas (per_report, on an incremental build) keep their name: their incremental
   tables are updated where they are. #}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set name = custom_schema_name | trim if custom_schema_name else target.schema -%}
    {{ name if name in var('in_place_schemas', []) else name ~ var('schema_suffix', '') }}
{%- endmacro %}
