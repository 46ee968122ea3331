select
    metric_id,
    report_id,
    measure_ordinal,
    indicator_code,
    value,
    unit,
    qualifier,
    scope,
    breakdown,
    evidence,
    start_offset,
    end_offset
from {{ source('core', 'metric') }}
