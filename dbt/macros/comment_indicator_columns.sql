{# Post-hook of indicator_panel_wide: its indicator columns come from the catalogue, so their
   comments do too (name, unit, definition), and BI tools describe every column. #}
{% macro comment_indicator_columns(relation) %}
    {%- set rows = run_query("select code, name_zh, unit, definition from " ~ source('core', 'indicator')
                             ~ " where core order by code") if execute else none -%}
    {%- if rows -%}
    {%- for code, name_zh, unit, definition in rows.rows %}
    comment on column {{ relation }}."{{ code | replace('.', '__') }}" is '{{ (name_zh ~ " (" ~ unit ~ "). " ~ definition) | replace("'", "''") }}';
    {%- endfor %}
    {%- else -%}
    select 1
    {%- endif -%}
{% endmacro %}
