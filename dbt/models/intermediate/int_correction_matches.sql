-- Which reports each correction in force applies to: the report corrected (same text, so also
-- after a re-parse, which loads it under a new id) and every version of the same document (same
-- place, year, issuer and kind, as int_reports_mapped defines versions), so a correction holds
-- when a new version of the report is loaded. Two equality joins, not one join on "or": each can
-- use a hash join or an index, whatever the number of reports.
{{ config(indexes=[{'columns': ['report_id', 'indicator_code', 'scope']}]) }}
with corrections as (
    select * from {{ ref('stg_corrections') }} where is_active
),

reports as (
    select r.report_id, r.text_hash, r.report_year, r.kind, coalesce(r.issuer, '') as issuer,
           j.code, j.full_name
    from {{ ref('stg_reports') }} r
    left join {{ ref('stg_jurisdictions') }} j using (jurisdiction_id)
),

by_text as (
    select c.correction_id, r.report_id
    from corrections c
    join reports r on r.text_hash = c.text_hash
),

by_document as (
    select c.correction_id, r.report_id
    from corrections c
    join reports r
      on r.full_name = c.jurisdiction_name and r.report_year = c.report_year and r.kind = c.kind
     and r.issuer = coalesce(c.issuer, '') and r.code is not distinct from c.jurisdiction_code
),

matches as (
    select correction_id, report_id from by_text
    union
    select correction_id, report_id from by_document
)

select
    m.report_id,
    c.correction_id,
    c.correction_action,
    c.indicator_code,
    c.scope,
    c.value,
    c.unit,
    c.extracted_value,
    c.evidence,
    c.correction_reason,
    c.corrected_by,
    c.corrected_at
from matches m
join corrections c using (correction_id)
