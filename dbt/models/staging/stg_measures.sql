select
    report_id,
    ordinal as measure_ordinal,
    parent_ordinal,
    depth,
    section,
    heading,
    text as measure_text,
    start_offset,
    end_offset,
    section_kind,
    topics,
    keywords
from {{ source('core', 'measure') }}
