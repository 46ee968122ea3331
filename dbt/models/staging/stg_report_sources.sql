select
    source_id,
    report_id,
    content_hash,
    source_path,
    file_format,
    encoding,
    is_primary,
    source_url,
    source_page,
    added_at
from {{ source('core', 'report_source') }}
