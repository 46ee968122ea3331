{#
  Incremental models with one row per report (or report x something): core rows of a report are
  never updated once loaded (a new version of a document is a new report), so a build only has
  to add the reports the model has not seen and drop the rows of reports deleted since.
  Anything else they read (the indicator catalogue, the models' own SQL) is checked by
  fazhi/warehouse/dbt.py, which rebuilds them from scratch when it changed.
#}

{# The reports to read on this run: all of them on a first or full build, else those loaded since
   the last one. Report ids only grow (an identity; one loader at a time under the warehouse lock,
   each batch committed before the next takes ids), so "since" is "above the highest id the model
   holds": an index range scan, where an anti-join would read every figure of the warehouse. A
   report with no rows here has no figures to add, now or later (core rows are never updated). #}
{% macro reports_to_add(report_id='report_id') -%}
    {#- ref outside the condition: dbt sees the dependency when it parses the model. -#}
    {%- set reports = ref('stg_reports') -%}
    {%- if is_incremental() %}
    {{ report_id }} > (select coalesce(max(t.report_id), 0) from {{ this }} t)
    {%- else %}
    true
    {%- endif %}
{%- endmacro %}

{# Pre-hook: a report deleted from core (by hand; ON DELETE CASCADE takes its figures) takes its
   rows here with it, in the same transaction as the insert of the new ones. fazhi/warehouse/dbt.py sets
   `reports_removed` when any report the tables hold is gone, so the scan runs only then. #}
{% macro delete_rows_of_removed_reports() -%}
    {%- if is_incremental() and var('reports_removed', true) -%}
    delete from {{ this }} t
    where not exists (select 1 from {{ source('core', 'report') }} r where r.report_id = t.report_id)
    {%- endif -%}
{%- endmacro %}
