select
    code as indicator_code,
    family,
    name_zh,
    unit,
    kind,
    core,
    numerator,
    denominator,
    definition
from {{ source('core', 'indicator') }}
