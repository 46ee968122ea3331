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
    end_offset,
    out_of_range
from {{ source('core', 'metric') }}
