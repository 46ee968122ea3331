-- Long panel: one row per jurisdiction lineage x year x indicator x scope (the chosen value:
-- area-wide figures only; annual reports first, other reports then statistics fill gaps, never
-- news or other texts; see int_lineage_year_values). Where the place's own documents state
-- nothing for the key, a value another document lists for it (a provincial page's row per city,
-- int_place_values) fills the row, marked: value_source 'listed by <kind>', report_id the listing
-- document. Figures below the confidence threshold never reach it (unless corrected or confirmed).
-- A view: a copy of two million chosen values (with their evidence) on every build was the
-- longest step after new reports; filtered by province, year or indicator it reads the indexes
-- of int_lineage_year_values, int_place_values and int_lineage_years. The wide panel, which
-- dashboards read, is a table.
{{ config(materialized='view') }}
with vals as (
    select lineage_id, report_year, indicator_code, scope, value, unit, qualifier, report_id, source_kind,
           metric_id, evidence, 'own report'::text as value_source, false as is_listed
    from {{ ref('int_lineage_year_values') }}
    union all
    select lineage_id, report_year, indicator_code, scope, value, unit, qualifier, report_id, source_kind,
           metric_id, evidence, 'listed by ' || source_kind, true
    from {{ ref('int_place_values') }}
    where fills_gap
)

select
    v.lineage_id,
    y.jurisdiction_id,
    y.code as jurisdiction_code,
    y.jurisdiction_name,
    y.display_name,
    y.lineage_name,
    y.level,
    y.province,
    v.report_year::integer as report_year,
    make_date(v.report_year, 1, 1) as period,
    v.indicator_code,
    i.name_zh as indicator_name_zh,
    i.core,
    v.scope,
    v.value::double precision as value,
    v.unit,
    v.qualifier,
    v.report_id,
    v.source_kind,
    v.metric_id,
    v.evidence,
    v.value_source,
    v.is_listed
from vals v
join {{ ref('int_lineage_years') }} y using (lineage_id, report_year)
join {{ ref('stg_indicators') }} i using (indicator_code)
