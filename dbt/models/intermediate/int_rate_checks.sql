-- The rate checks of every report on the values the marts use: kept incrementally per report
-- (per_report.int_report_rate_checks, as extracted), and checked again on the corrected values
-- for reports a correction applies to (few), so the audit never flags a figure already corrected.
{{ config(materialized='view') }}
with corrected as (
    select distinct report_id from {{ ref('int_correction_matches') }}
),

rechecked as (
    {{ rate_checks(ref('int_report_values'), 'report_id in (select report_id from corrected)') }}
)

select c.*
from {{ ref('int_report_rate_checks') }} c
where not exists (select 1 from corrected k where k.report_id = c.report_id)
union all
select * from rechecked
