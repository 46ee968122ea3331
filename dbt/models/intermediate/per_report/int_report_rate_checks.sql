-- Per report, scope and rate: the stated rate, the counts the report gives for it and the rate
-- they give, for the audit of stated rates. Every report and scope with an area-wide figure has
-- its four rows (null where nothing is stated), so a report is checked once.
-- Incremental (per_report): a report's check depends only on its own values.
{{ config(indexes=[{'columns': ['report_id', 'scope', 'indicator_code'], 'unique': true}]) }}
with checks as (
    {{ report_rate_check('litigation.head_appearance_rate', 'litigation.head_appearances', ['litigation.hearings', 'litigation.cases']) }}
    union all
    {{ report_rate_check('reconsideration.correction_rate', 'reconsideration.corrected', ['reconsideration.closed', 'reconsideration.handled']) }}
    union all
    {{ report_rate_check('litigation.loss_rate', 'litigation.lost', ['litigation.closed', 'litigation.cases']) }}
    union all
    {{ report_rate_check('mediation.success_rate', 'mediation.succeeded', ['mediation.disputes']) }}
)

select
    *,
    case when numerator_count is not null and denominator_count > 0 and counts_in_same_passage
         then round(100.0 * numerator_count / denominator_count, 2) end as recomputed_rate
from checks
