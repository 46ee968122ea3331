-- One row per lineage x year with how the place was named and coded that year, for the place-years
-- that comparable documents (annual reports, other reports, statistics) cover: a place-year known
-- only from a news item gets no row, so no empty row in the wide panel either.
{{ config(indexes=[{'columns': ['lineage_id', 'report_year'], 'unique': true}]) }}
with latest as (
    select
        r.lineage_id,
        r.report_year,
        r.jurisdiction_id,
        row_number() over (
            partition by r.lineage_id, r.report_year
            order by r.kind_rank, (r.issuer_kind = 'government') desc, r.published_on desc nulls last,
                     r.report_id desc
        ) as pick
    from {{ ref('int_reports_mapped') }} r
    where r.is_latest_version and r.kind_rank is not null
)

select
    l.lineage_id,
    l.report_year,
    l.jurisdiction_id,
    j.code,
    j.full_name as jurisdiction_name,
    j.level,
    j.province,
    j.city,
    lb.display_name,
    lb.lineage_name
from latest l
join {{ ref('stg_jurisdictions') }} j using (jurisdiction_id)
join {{ ref('int_jurisdiction_labels') }} lb using (jurisdiction_id)
where l.pick = 1
