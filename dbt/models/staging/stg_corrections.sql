select
    correction_id,
    correction_uid,
    action as correction_action,
    text_hash,
    jurisdiction_code,
    jurisdiction_name,
    report_year,
    issuer,
    kind,
    title,
    indicator_code,
    scope,
    value,
    unit,
    case when {{ is_storable_figure('extracted_value') }} then extracted_value end as extracted_value,
    evidence,
    reason as correction_reason,
    corrected_by,
    corrected_at,
    revoked_at,
    revoked_by,
    revoked_at is null as is_active
from {{ source('core', 'correction') }}
-- A value no view could read is no correction (macros/figures.sql): imported before it was refused.
where value is null or {{ is_storable_figure('value') }}
