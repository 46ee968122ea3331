{# Post-hook of indicator_panel_wide (and of its Chinese twin, zh=true, whose columns are the
   indicators' Chinese names): its indicator columns come from the catalogue, so their comments
   do too (name, unit, definition), and BI tools describe every column. #}
{% macro comment_indicator_columns(relation, zh=false) %}
    {%- set rows = run_query("select code, name_zh, unit, definition from " ~ source('core', 'indicator')
                             ~ " where core order by code") if execute else none -%}
    {%- if rows -%}
    {%- for code, name_zh, unit, definition in rows.rows %}
    comment on column {{ relation }}."{{ name_zh if zh else code | replace('.', '__') }}" is '{{ (name_zh ~ " (" ~ unit ~ "). " ~ definition ~ (" 指标代码 " ~ code if zh else "")) | replace("'", "''") }}';
    {%- endfor %}
    {%- else -%}
    select 1
    {%- endif -%}
{% endmacro %}
