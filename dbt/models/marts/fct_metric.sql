-- Every extracted figure with its provenance, whatever the document's kind or the figure's
-- breakdown: what the comparisons leave out stays visible here.
-- A view: every figure is millions of rows at national scale; filtered reads go through the
-- indexes of core.metric and the intermediate tables. Its tests read those tables.
{{ config(materialized='view') }}
select
    m.metric_id,
    m.report_id,
    r.lineage_id,
    r.jurisdiction_id,
    j.full_name as jurisdiction_name,
    r.report_year,
    m.indicator_code,
    i.name_zh as indicator_name_zh,
    m.value,
    m.unit,
    m.qualifier,
    m.scope,
    m.breakdown,
    m.breakdown is not null as is_breakdown,
    (m.out_of_range or m.value < i.min_value or m.value > i.max_value) is true as is_out_of_range,
    m.evidence,
    m.start_offset,
    m.end_offset,
    m.measure_ordinal,
    ms.section,
    ms.heading as measure_heading,
    s.title,
    s.kind as document_kind,
    s.issuer,
    s.published_on,
    s.source_path,
    coalesce(r.is_latest_version, false) as is_latest_version,
    -- Chosen: the value the comparisons and the panel use. Never a breakdown, never from a news
    -- item or another text (int_lineage_year_values leaves them out).
    (c.metric_id is not null) as is_chosen_value
-- Left joins throughout, though core's foreign keys give every figure its report and indicator:
-- the rows are the same, and a query that reads none of a joined table's columns (the grain
-- test, counts) skips the join, each being on a unique key.
from {{ ref('stg_metrics') }} m
left join {{ ref('stg_reports') }} s using (report_id)
left join {{ ref('stg_indicators') }} i using (indicator_code)
left join {{ ref('stg_measures') }} ms using (report_id, measure_ordinal)
left join {{ ref('int_reports_mapped') }} r using (report_id)
left join {{ ref('stg_jurisdictions') }} j on j.jurisdiction_id = s.jurisdiction_id
left join {{ ref('int_lineage_year_values') }} c on c.metric_id = m.metric_id
