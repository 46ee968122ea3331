-- Every report whose stated rate disagrees with its own counts by more than 0.5 points.
-- The per-report checks are kept incrementally in int_report_rate_checks.
{{ config(indexes=[{'columns': ['report_id']}, {'columns': ['report_year', 'indicator_code']}]) }}
select
    c.report_id,
    s.jurisdiction_name,
    s.report_year,
    s.title,
    s.kind,
    c.indicator_code,
    c.scope,
    c.reported_rate,
    c.numerator_count,
    c.denominator_count,
    c.denominator_basis,
    c.recomputed_rate,
    round(c.reported_rate - c.recomputed_rate, 2) as gap_points
from {{ ref('int_report_rate_checks') }} c
join {{ ref('stg_reports') }} s using (report_id)
where c.reported_rate is not null and c.recomputed_rate is not null
  and abs(c.reported_rate - c.recomputed_rate) > 0.5
