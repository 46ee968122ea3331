-- 取值规则 The one value rule: one value per lineage x year x indicator x scope, read by every
-- surface that shows a value (cmp_*, indicator_panel, indicator_panel_wide, fazhi export, fazhi
-- plot), so a place-year-rate reads the same everywhere. In order:
--   1. stated: the place's own documents' value (int_lineage_year_values: annual reports first,
--      corrections applied; chosen_source 'corrected' when a correction set or added it,
--      'confirmed' when one kept the value the parser read);
--   2. recomputed: for a rate no own document states, the rate its own counts give (counts of one
--      passage: int_rate_values); off with var recompute_rates: false (stated values only);
--   3. listed: a value another document lists for the place (a provincial page's row per city,
--      int_place_values.fills_gap), chosen_source 'stated', is_listed.
-- is_corrected: a researcher's correction in force touches the value (the figure itself, another
-- figure of the report deleted, or the counts a recomputed rate comes from); the correction's
-- action, reason, reviewer and time come with it. A view: the three sources are tables with
-- indexes on this grain, so a filtered read (a year, an indicator) reads only its rows.
{{ config(materialized='view') }}
with latest_match as (
    -- The latest correction in force per report x indicator x scope, whatever its action.
    select distinct on (report_id, indicator_code, scope) report_id, indicator_code, scope, correction_id
    from {{ ref('int_correction_matches') }}
    order by report_id, indicator_code, scope, corrected_at desc, correction_id desc
),

own as (
    select
        v.lineage_id, v.report_year, v.indicator_code, v.scope, v.value, v.unit, v.qualifier, v.report_id,
        v.source_kind, v.jurisdiction_id, v.metric_id, v.evidence,
        case when v.correction_id is null then v.value else cf.extracted_value end as extracted_value,
        'own report'::text as value_source,
        false as is_listed,
        -- A correction that keeps the value read (a set to the same value, or an action that
        -- only confirms) is a confirmation; one that changes or adds it, a correction.
        case when v.correction_id is null then 'stated'
             when cf.extracted_value = v.value or vc.correction_action = 'confirm' then 'confirmed'
             else 'corrected' end as chosen_source,
        coalesce(v.correction_id, lm.correction_id) as correction_id
    from {{ ref('int_lineage_year_values') }} v
    left join {{ ref('int_corrected_figures') }} cf
        on v.correction_id is not null and cf.report_id = v.report_id and cf.indicator_code = v.indicator_code
       and cf.scope = v.scope and cf.is_report_value
    left join {{ ref('stg_corrections') }} vc on vc.correction_id = v.correction_id
    left join latest_match lm
        on lm.report_id = v.report_id and lm.indicator_code = v.indicator_code and lm.scope = v.scope
),

recomputed as (
    select
        r.lineage_id, r.report_year, r.indicator_code, r.scope, r.recomputed_rate as value, i.unit,
        null::varchar as qualifier, r.numerator_report_id as report_id, r.numerator_source_kind as source_kind,
        r.numerator_jurisdiction_id as jurisdiction_id, null::bigint as metric_id,
        case when r.denominator_evidence is null or r.denominator_evidence = r.numerator_evidence
             then r.numerator_evidence else r.numerator_evidence || ' … ' || r.denominator_evidence end as evidence,
        null::numeric as extracted_value,
        'own report'::text as value_source,
        false as is_listed,
        'recomputed'::text as chosen_source,
        -- The stated rate deleted by a correction, else the correction of a count.
        coalesce(lm.correction_id, r.numerator_correction_id, r.denominator_correction_id) as correction_id
    from {{ ref('int_rate_values') }} r
    join {{ ref('stg_indicators') }} i using (indicator_code)
    left join latest_match lm
        on lm.report_id = r.numerator_report_id and lm.indicator_code = r.indicator_code and lm.scope = r.scope
    where r.reported_rate is null and r.recomputed_rate is not null and {{ var('recompute_rates') }}
),

listed as (
    select
        lineage_id, report_year, indicator_code, scope, value, unit, qualifier, report_id, source_kind,
        jurisdiction_id, metric_id, evidence, value as extracted_value,
        'listed by ' || source_kind as value_source,
        true as is_listed,
        'stated'::text as chosen_source,
        null::bigint as correction_id
    from {{ ref('int_place_values') }}
    where fills_gap
),

chosen as (
    select * from own
    union all
    select * from recomputed
    union all
    select * from listed
)

select
    c.lineage_id,
    c.report_year,
    c.indicator_code,
    c.scope,
    c.value,
    c.unit,
    c.qualifier,
    c.report_id,
    c.source_kind,
    c.jurisdiction_id,
    c.metric_id,
    c.evidence,
    c.extracted_value,
    c.value_source,
    c.is_listed,
    c.chosen_source,
    c.correction_id is not null as is_corrected,
    c.correction_id,
    k.correction_action,
    k.correction_reason,
    k.corrected_by,
    k.corrected_at
from chosen c
left join {{ ref('stg_corrections') }} k using (correction_id)
