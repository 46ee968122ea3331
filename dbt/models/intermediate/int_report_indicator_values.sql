-- One value per report x indicator x scope. When a report states a figure for the same
-- indicator and scope more than once, its first statement (lowest offset) is the value: reports
-- give the headline figure first and break it down after (其中 ...).
with ranked as (
    select
        m.*,
        row_number() over (partition by report_id, indicator_code, scope order by start_offset) as statement_rank,
        count(*) over (partition by report_id, indicator_code, scope) as statements
    from {{ ref('stg_metrics') }} m
)

select
    metric_id,
    report_id,
    measure_ordinal,
    indicator_code,
    scope,
    value,
    unit,
    qualifier,
    evidence,
    start_offset,
    end_offset,
    statements
from ranked
where statement_rank = 1
