{#- ANALYZE a model built as a table (or updated in place), so that the models built after it are
    planned on its statistics; a view has none to gather. See the post-hook in dbt_project.yml. -#}
{% macro analyze_built_table() -%}
    {%- if model.config.materialized in ('table', 'incremental') -%}
        analyze {{ this }}
    {%- endif -%}
{%- endmacro %}
