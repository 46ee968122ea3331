-- 待核队列: the figures a person should check against their evidence (fazhi web's review queue),
-- one row per figure of a report's own area (listed places' figures are not the report's to
-- correct), from the latest version of each document that can feed the comparisons and the panel
-- (annual reports, other reports, statistics). A figure is here for any of these reasons:
--   low_confidence     an area-wide figure below the comparison threshold (var min_confidence):
--                      never compared until a reviewer confirms or corrects it;
--   rate_discrepancy   the report's stated rate disagrees with its own counts (audit_rate_discrepancy);
--   out_of_range       outside the indicator's plausible range;
--   conflict           another document gives a different value for the place, year, indicator
--                      and scope (each document's value is here);
--   non_annual_source  the comparisons and the panel take the value from a document that is not
--                      the annual report.
-- Most consequential first (queue_rank): figures of an indicator a comparison view reads, then
-- values the panel uses, then the rest; within each, more reasons first, then the latest year.
-- Whether a reviewer has dealt with a figure since the build is read by the page from
-- core.correction (text_hash, indicator_code, scope), so the queue follows the reviewers live.
{{ config(indexes=[{'columns': ['queue_rank'], 'unique': true}, {'columns': ['metric_id'], 'unique': true},
                   {'columns': ['report_id']}, {'columns': ['province', 'report_year']},
                   {'columns': ['indicator_code']}]) }}
with reports as (
    select r.report_id, r.lineage_id, r.level, r.province, r.report_year, r.kind
    from {{ ref('int_reports_mapped') }} r
    where r.is_latest_version and r.kind_rank is not null
),

figures as (
    select m.*, r.lineage_id, r.level, r.province, r.report_year, r.kind
    from {{ ref('stg_metrics') }} m
    join reports r using (report_id)
    where {{ is_own_figure('m') }}
),

-- Each document's value (after corrections) per place, year, indicator and scope.
stated as (
    select v.metric_id, v.report_id, v.indicator_code, v.scope, v.value, r.lineage_id, r.report_year
    from {{ ref('int_report_values') }} v
    join reports r using (report_id)
    where v.metric_id is not null
),

conflicts as (
    select s.metric_id
    from stated s
    join (select lineage_id, report_year, indicator_code, scope
          from stated group by 1, 2, 3, 4 having count(distinct value) > 1) c
      using (lineage_id, report_year, indicator_code, scope)
),

discrepancies as (
    select s.metric_id
    from stated s
    join (select distinct report_id, indicator_code, scope from {{ ref('audit_rate_discrepancy') }}) a
      using (report_id, indicator_code, scope)
),

chosen as (
    select metric_id, source_kind from {{ ref('int_lineage_year_values') }} where metric_id is not null
),

flagged as (
    select
        f.*,
        f.breakdown is null and not {{ is_confident('f') }} as is_low_confidence,
        d.metric_id is not null as is_rate_discrepancy,
        (f.out_of_range or f.value < i.min_value or f.value > i.max_value) is true as is_out_of_range,
        c.metric_id is not null as is_conflict,
        coalesce(ch.source_kind <> 'annual_report', false) as is_non_annual_source,
        case when f.indicator_code in {{ comparison_indicator_codes() }} and f.breakdown is null then 'comparison'
             when ch.metric_id is not null then 'panel'
             else 'other' end as feeds,
        i.name_zh as indicator_name_zh
    from figures f
    join {{ ref('stg_indicators') }} i using (indicator_code)
    left join discrepancies d using (metric_id)
    left join (select distinct metric_id from conflicts) c using (metric_id)
    left join chosen ch using (metric_id)
),

queued as (
    select
        *,
        array_remove(array[
            case when is_low_confidence then 'low_confidence' end,
            case when is_rate_discrepancy then 'rate_discrepancy' end,
            case when is_out_of_range then 'out_of_range' end,
            case when is_conflict then 'conflict' end,
            case when is_non_annual_source then 'non_annual_source' end], null)::text[] as reasons
    from flagged
    where is_low_confidence or is_rate_discrepancy or is_out_of_range or is_conflict or is_non_annual_source
)

select
    row_number() over (
        order by case feeds when 'comparison' then 0 when 'panel' then 1 else 2 end,
                 cardinality(q.reasons) desc, q.report_year desc nulls last, q.report_id, q.start_offset, q.metric_id
    )::bigint as queue_rank,
    q.metric_id,
    q.report_id,
    s.text_hash,
    q.lineage_id,
    j.full_name as jurisdiction_name,
    lb.display_name,
    q.level,
    q.province,
    q.report_year::integer as report_year,
    s.title,
    q.kind as document_kind,
    q.indicator_code,
    q.indicator_name_zh,
    q.scope,
    q.value::double precision as value,
    q.unit,
    q.breakdown,
    q.confidence::double precision as confidence,
    q.evidence,
    q.start_offset,
    q.end_offset,
    q.feeds,
    q.reasons,
    q.is_low_confidence,
    q.is_rate_discrepancy,
    q.is_out_of_range,
    q.is_conflict,
    q.is_non_annual_source
from queued q
join {{ ref('stg_reports') }} s using (report_id)
left join {{ ref('stg_jurisdictions') }} j on j.jurisdiction_id = s.jurisdiction_id
left join {{ ref('int_jurisdiction_labels') }} lb on lb.jurisdiction_id = s.jurisdiction_id
