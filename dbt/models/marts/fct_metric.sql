-- Every extracted figure with its provenance, whatever the document's kind or the figure's
-- breakdown: what the comparisons leave out stays visible here. Researchers' corrections are
-- shown beside what was extracted: value is the figure in use (corrected, or null when deleted),
-- extracted_value what the parser read; a figure a correction added has no metric_id (is_added);
-- a confirmed one (is_confirmed) keeps its value. corrected_by and correction_reason say who
-- decided and why, whatever the action.
-- Figures below the confidence threshold (below_threshold) and figures about a place the
-- document lists (place_*) are here with the rest, for review: the comparisons use neither (a
-- correction or confirmation brings a low-confidence figure in), the panel a listed place's
-- figure only for that place (place_lineage_id), where its own documents state nothing.
-- A view: every figure is millions of rows at national scale; filtered reads go through the
-- indexes of core.metric and the intermediate tables. Its tests read those tables.
{{ config(materialized='view') }}
with figures as (
    select
        m.metric_id,
        m.report_id,
        m.measure_ordinal,
        m.indicator_code,
        case when cf.metric_id is null then m.value else cf.value end as value,
        m.value as extracted_value,
        m.unit,
        m.qualifier,
        m.scope,
        m.breakdown,
        m.out_of_range,
        m.evidence,
        m.start_offset,
        m.end_offset,
        cf.correction_id,
        coalesce(cf.is_deleted, false) as is_deleted,
        m.confidence,
        m.place_code,
        m.place_name,
        m.place_level
    from {{ ref('stg_metrics') }} m
    -- Only the figures of corrected report x indicator x scope have a row here (unique metric_id).
    left join {{ ref('int_corrected_figures') }} cf using (metric_id)
    union all
    select
        null, report_id, measure_ordinal, indicator_code, value, null, unit, qualifier, scope, null, false,
        evidence, start_offset, end_offset, correction_id, false, null, null, null, null
    from {{ ref('int_corrected_figures') }}
    where metric_id is null
)

select
    f.metric_id,
    f.report_id,
    r.lineage_id,
    r.jurisdiction_id,
    j.full_name as jurisdiction_name,
    lb.display_name,
    r.report_year,
    make_date(r.report_year, 1, 1) as period,
    f.indicator_code,
    i.name_zh as indicator_name_zh,
    f.value::double precision as value,
    f.unit,
    f.qualifier,
    f.scope,
    f.breakdown,
    f.breakdown is not null as is_breakdown,
    (f.out_of_range or f.value < i.min_value or f.value > i.max_value) is true as is_out_of_range,
    f.evidence,
    f.start_offset,
    f.end_offset,
    f.measure_ordinal,
    ms.section,
    ms.heading as measure_heading,
    s.title,
    s.kind as document_kind,
    s.issuer,
    s.published_on,
    s.source_path,
    s.source_url,
    coalesce(r.is_latest_version, false) as is_latest_version,
    -- Chosen: the value the comparisons and the panel use. Never a breakdown, never from a news
    -- item or another text (int_lineage_year_values leaves them out); a listed place's figure
    -- when the panel takes it for that place (int_place_values).
    (c.metric_id is not null or ca.correction_id is not null or coalesce(pv.fills_gap, false)) as is_chosen_value,
    f.extracted_value::double precision as extracted_value,
    (case when f.correction_id is not null and not f.is_deleted and coalesce(k.correction_action, '') <> 'confirm'
          then f.value end)::double precision as corrected_value,
    f.correction_id is not null and coalesce(k.correction_action, '') <> 'confirm' as is_corrected,
    f.is_deleted,
    -- A reviewer checked it against its evidence and kept the value (fazhi correct --confirm, fazhi web).
    coalesce(k.correction_action = 'confirm' and not f.is_deleted, false) as is_confirmed,
    f.metric_id is null as is_added,
    k.correction_action,
    k.corrected_by,
    k.corrected_at,
    k.correction_reason,
    f.correction_id,
    f.confidence::double precision as confidence,
    -- Unknown confidence passes: not below.
    coalesce(f.confidence < {{ min_confidence() }}, false) as below_threshold,
    f.place_code,
    f.place_name,
    f.place_level,
    pf.lineage_id as place_lineage_id
-- Left joins throughout, though core's foreign keys give every figure its report and indicator:
-- the rows are the same, and a query that reads none of a joined table's columns (the grain
-- test, counts) skips the join, each being on a unique key.
from figures f
left join {{ ref('stg_reports') }} s using (report_id)
left join {{ ref('stg_indicators') }} i using (indicator_code)
left join {{ ref('stg_measures') }} ms using (report_id, measure_ordinal)
left join {{ ref('int_reports_mapped') }} r using (report_id)
left join {{ ref('stg_jurisdictions') }} j on j.jurisdiction_id = s.jurisdiction_id
left join {{ ref('int_jurisdiction_labels') }} lb on lb.jurisdiction_id = s.jurisdiction_id
left join {{ ref('int_lineage_year_values') }} c on c.metric_id = f.metric_id
left join {{ ref('int_chosen_corrections') }} ca
    on f.metric_id is null and ca.correction_id = f.correction_id and ca.report_id = f.report_id
left join {{ ref('stg_corrections') }} k on k.correction_id = f.correction_id
left join {{ ref('int_place_figures') }} pf on pf.metric_id = f.metric_id
left join {{ ref('int_place_values') }} pv on pv.metric_id = f.metric_id
