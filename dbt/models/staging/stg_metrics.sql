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
    out_of_range,
    confidence,
    place_code,
    place_name,
    place_level
from {{ source('core', 'metric') }}
-- A value no view could read is no figure (macros/figures.sql).
where {{ is_storable_figure('value') }}
