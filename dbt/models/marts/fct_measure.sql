-- A view over core.measure (its text is the bulk of the warehouse): queries by topic use the
-- GIN index on core.measure.topics.
{{ config(materialized='view') }}
select
    ms.report_id,
    ms.measure_ordinal,
    s.jurisdiction_name,
    s.report_year,
    s.issuer,
    ms.section,
    ms.heading,
    ms.section_kind,
    ms.topics,
    ms.keywords,
    ms.measure_text
from {{ ref('stg_measures') }} ms
-- Left join: every measure has its report (foreign key), and the grain test skips the join.
left join {{ ref('stg_reports') }} s using (report_id)
