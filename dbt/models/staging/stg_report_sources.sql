select
    source_id,
    report_id,
    content_hash,
    source_path,
    file_format,
    encoding,
    is_primary,
    added_at
from {{ source('core', 'report_source') }}
