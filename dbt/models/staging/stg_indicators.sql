select
    code as indicator_code,
    family,
    name_zh,
    unit,
    kind,
    core,
    numerator,
    denominator,
    definition,
    min_value,
    max_value
from {{ source('core', 'indicator') }}
