-- Every report whose stated rate disagrees with its own counts by more than 0.5 points, as the
-- parser read it (per_report.int_report_rate_checks, kept incrementally) or after researchers'
-- corrections (int_rate_checks checks corrected reports again on their corrected values). A
-- discrepancy a correction dealt with stays listed with its resolution:
--   open     no correction in force touches the rate or its counts in this report and scope;
--   resolved a correction did, and the stated rate now agrees with the counts (or one is gone);
--   reviewed a correction did (a confirmation: the report does state it so), and they still differ.
-- resolution_action, resolved_by, resolved_reason, resolved_at: the latest such correction,
-- whatever its action (set, add, delete, or any other the corrections accept).
{{ config(indexes=[{'columns': ['report_id']}, {'columns': ['report_year', 'indicator_code']}]) }}
with extracted as (
    select * from {{ ref('int_report_rate_checks') }}
    where reported_rate is not null and recomputed_rate is not null and abs(reported_rate - recomputed_rate) > 0.5
),

corrected_reports as (
    select distinct report_id from {{ ref('int_correction_matches') }}
),

current_checks as (
    -- Only corrected reports can differ from what the parser read.
    select c.* from {{ ref('int_rate_checks') }} c
    where c.report_id in (select report_id from corrected_reports)
),

flagged as (
    select report_id, scope, indicator_code from extracted
    union
    select report_id, scope, indicator_code from current_checks
    where reported_rate is not null and recomputed_rate is not null and abs(reported_rate - recomputed_rate) > 0.5
),

resolutions as (
    -- The latest correction in force on the rate or one of its counts, per report x rate x scope.
    select distinct on (m.report_id, r.rate_code, m.scope)
        m.report_id, r.rate_code as indicator_code, m.scope, m.correction_id, m.correction_action,
        m.corrected_by, m.correction_reason, m.corrected_at
    from {{ ref('int_correction_matches') }} m
    join {{ rate_members() }} as r (rate_code, member_code) on r.member_code = m.indicator_code
    order by m.report_id, r.rate_code, m.scope, m.corrected_at desc, m.correction_id desc
),

checks as (
    -- What the marts use now: a corrected report's check on its corrected values (no row, so
    -- nulls, when its figures are gone), else the check as extracted.
    select
        f.report_id,
        f.scope,
        f.indicator_code,
        case when k.report_id is null then x.reported_rate else c.reported_rate end as reported_rate,
        case when k.report_id is null then x.numerator_count else c.numerator_count end as numerator_count,
        case when k.report_id is null then x.denominator_count else c.denominator_count end as denominator_count,
        case when k.report_id is null then x.denominator_basis else c.denominator_basis end as denominator_basis,
        case when k.report_id is null then x.recomputed_rate else c.recomputed_rate end as recomputed_rate,
        x.reported_rate as extracted_reported_rate,
        x.recomputed_rate as extracted_recomputed_rate,
        r.correction_id,
        r.correction_action,
        r.corrected_by,
        r.correction_reason,
        r.corrected_at
    from flagged f
    left join corrected_reports k using (report_id)
    left join current_checks c using (report_id, scope, indicator_code)
    left join {{ ref('int_report_rate_checks') }} x using (report_id, scope, indicator_code)
    left join resolutions r using (report_id, scope, indicator_code)
)

select
    c.report_id,
    s.jurisdiction_name,
    lb.display_name,
    lb.lineage_name,
    j.lineage_id,
    j.level,
    {{ level_zh('j.level') }} as level_zh,
    j.province,
    s.report_year::integer as report_year,
    make_date(s.report_year, 1, 1) as period,
    s.title,
    s.kind,
    c.indicator_code,
    i.name_zh as indicator_name_zh,
    c.scope,
    {{ scope_zh('c.scope') }} as scope_zh,
    c.reported_rate::double precision as reported_rate,
    c.numerator_count::bigint as numerator_count,
    c.denominator_count::bigint as denominator_count,
    c.denominator_basis,
    c.recomputed_rate::double precision as recomputed_rate,
    round(c.reported_rate - c.recomputed_rate, 2)::double precision as gap_points,
    c.extracted_reported_rate::double precision as extracted_reported_rate,
    c.extracted_recomputed_rate::double precision as extracted_recomputed_rate,
    round(c.extracted_reported_rate - c.extracted_recomputed_rate, 2)::double precision as extracted_gap_points,
    c.correction_id is not null as is_corrected,
    case when c.correction_id is null then 'open'
         when c.reported_rate is null or c.recomputed_rate is null
              or abs(c.reported_rate - c.recomputed_rate) <= 0.5 then 'resolved'
         else 'reviewed' end as resolution,
    c.correction_action as resolution_action,
    c.corrected_by as resolved_by,
    c.correction_reason as resolved_reason,
    c.corrected_at as resolved_at,
    c.correction_id
from checks c
join {{ ref('stg_reports') }} s using (report_id)
join {{ ref('stg_indicators') }} i using (indicator_code)
left join {{ ref('stg_jurisdictions') }} j on j.jurisdiction_id = s.jurisdiction_id
left join {{ ref('int_jurisdiction_labels') }} lb on lb.jurisdiction_id = s.jurisdiction_id
