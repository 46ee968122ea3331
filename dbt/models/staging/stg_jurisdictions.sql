select
    jurisdiction_id,
    code,
    name,
    full_name,
    level,
    province,
    city,
    parent_id,
    valid_from,
    valid_to,
    status,
    lineage_id
from {{ source('core', 'jurisdiction') }}
