-- Every report whose stated rate disagrees with its own counts by more than 0.5 points.
with checks as (
    {{ report_rate_check('litigation.head_appearance_rate', 'litigation.head_appearances', ['litigation.hearings', 'litigation.cases']) }}
    union all
    {{ report_rate_check('reconsideration.correction_rate', 'reconsideration.corrected', ['reconsideration.closed', 'reconsideration.handled']) }}
    union all
    {{ report_rate_check('litigation.loss_rate', 'litigation.lost', ['litigation.closed', 'litigation.cases']) }}
    union all
    {{ report_rate_check('mediation.success_rate', 'mediation.succeeded', ['mediation.disputes']) }}
),

computed as (
    select
        *,
        round(100.0 * numerator_count / nullif(denominator_count, 0), 2) as recomputed_rate
    from checks
    where reported_rate is not null and numerator_count is not null and denominator_count > 0
      and counts_in_same_passage
)

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
from computed c
join {{ ref('stg_reports') }} s using (report_id)
where abs(c.reported_rate - c.recomputed_rate) > 0.5
