select
    report_id,
    content_hash,
    source_path,
    source_url,
    file_format,
    encoding,
    title,
    kind,
    issuer,
    report_year,
    published_on,
    jurisdiction_id,
    jurisdiction_name,
    warnings,
    ingested_at
from {{ source('core', 'report') }}
