-- Documents placed on (lineage, year). Versions: documents of the same jurisdiction, year, issuer
-- and kind are versions of one document; the latest publication (then the latest load) wins.
-- The kind is part of the version key: a news item published after the annual report is a
-- different document, never a newer version of the report.
{{ config(indexes=[{'columns': ['report_id'], 'unique': true}, {'columns': ['lineage_id', 'report_year']}]) }}
with reports as (
    select r.*, j.lineage_id, j.level, j.province
    from {{ ref('stg_reports') }} r
    join {{ ref('stg_jurisdictions') }} j using (jurisdiction_id)
    where r.report_year is not null
),

ranked as (
    select
        *,
        row_number() over (
            partition by jurisdiction_id, report_year, coalesce(issuer, ''), kind
            order by published_on desc nulls last, ingested_at desc, report_id desc
        ) as version_rank,
        -- The government's own report speaks for the area before a department's.
        case when issuer ~ '(人民政府|政府|办事处|管委会)$' then 'government' else 'department' end as issuer_kind
    from reports
)

select
    report_id,
    jurisdiction_id,
    lineage_id,
    level,
    province,
    report_year,
    published_on,
    ingested_at,
    issuer,
    issuer_kind,
    kind,
    {{ kind_rank('kind') }} as kind_rank,
    version_rank = 1 as is_latest_version
from ranked
