-- Every report whose stated rate disagrees with its own counts by more than 0.5 points.
-- The per-report checks are kept incrementally in int_report_rate_checks; int_rate_checks checks
-- corrected reports again on their corrected values.
{{ config(indexes=[{'columns': ['report_id']}, {'columns': ['report_year', 'indicator_code']}]) }}
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
    round(c.reported_rate - c.recomputed_rate, 2)::double precision as gap_points
from {{ ref('int_rate_checks') }} c
join {{ ref('stg_reports') }} s using (report_id)
join {{ ref('stg_indicators') }} i using (indicator_code)
left join {{ ref('stg_jurisdictions') }} j on j.jurisdiction_id = s.jurisdiction_id
left join {{ ref('int_jurisdiction_labels') }} lb on lb.jurisdiction_id = s.jurisdiction_id
where c.reported_rate is not null and c.recomputed_rate is not null
  and abs(c.reported_rate - c.recomputed_rate) > 0.5
