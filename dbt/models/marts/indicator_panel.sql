-- Long panel: one row per jurisdiction lineage x year x indicator x scope, the chosen value of
-- int_chosen_values, the one value rule the comparisons (cmp_*) use too: the place's own stated
-- value (area-wide figures only; annual reports first, other reports then statistics fill gaps,
-- never news or other texts; corrections applied), else for a rate the rate its own counts give,
-- else a value another document lists for it (a provincial page's row per city): chosen_source
-- says which (stated / recomputed / corrected / confirmed), value_source and is_listed whose
-- document, is_corrected and the correction columns the researcher's correction behind it.
-- Figures below the confidence threshold never reach it (unless corrected or confirmed).
-- A view: a copy of two million chosen values (with their evidence) on every build was the
-- longest step after new reports; filtered by province, year or indicator it reads the indexes
-- of the tables under int_chosen_values and int_lineage_years. The wide panel, which dashboards
-- read, is a table.
{{ config(materialized='view') }}
select
    v.lineage_id,
    y.jurisdiction_id,
    y.code as jurisdiction_code,
    y.jurisdiction_name,
    y.display_name,
    y.lineage_name,
    y.level,
    {{ level_zh('y.level') }} as level_zh,
    y.province,
    v.report_year::integer as report_year,
    make_date(v.report_year, 1, 1) as period,
    v.indicator_code,
    i.name_zh as indicator_name_zh,
    i.core,
    i.kind as indicator_kind,
    v.scope,
    v.value::double precision as value,
    v.unit,
    v.qualifier,
    v.chosen_source,
    v.report_id,
    v.source_kind,
    v.metric_id,
    v.evidence,
    v.extracted_value::double precision as extracted_value,
    v.value_source,
    v.is_listed,
    v.is_corrected,
    v.correction_action,
    v.correction_reason,
    v.corrected_by,
    v.corrected_at
from {{ ref('int_chosen_values') }} v
join {{ ref('int_lineage_years') }} y using (lineage_id, report_year)
join {{ ref('stg_indicators') }} i using (indicator_code)
