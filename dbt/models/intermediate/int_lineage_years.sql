-- One row per lineage x year with how the place was named and coded that year, for the place-years
-- that comparable documents (annual reports, other reports, statistics) cover: a place-year known
-- only from a news item gets no row, so no empty row in the wide panel either. A place-year with
-- no document of its own but listed by another (a provincial page's row per city, with a value
-- the panel takes: int_place_values) gets a row too, named by the division the listing resolved.
{{ config(indexes=[{'columns': ['lineage_id', 'report_year'], 'unique': true}]) }}
with own as (
    select
        r.lineage_id,
        r.report_year,
        r.jurisdiction_id,
        true as has_own_document,
        row_number() over (
            partition by r.lineage_id, r.report_year
            order by r.kind_rank, (r.issuer_kind = 'government') desc, r.published_on desc nulls last,
                     r.report_id desc
        ) as pick
    from {{ ref('int_reports_mapped') }} r
    where r.is_latest_version and r.kind_rank is not null
),

listed as (
    select distinct on (p.lineage_id, p.report_year) p.lineage_id, p.report_year, p.jurisdiction_id,
        false as has_own_document, 1 as pick
    from {{ ref('int_place_values') }} p
    where p.fills_gap
      and not exists (select 1 from own o where o.lineage_id = p.lineage_id and o.report_year = p.report_year)
    order by p.lineage_id, p.report_year, p.jurisdiction_id
),

latest as (
    select * from own where pick = 1
    union all
    select * from listed
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
    lb.lineage_name,
    l.has_own_document
from latest l
join {{ ref('stg_jurisdictions') }} j using (jurisdiction_id)
join {{ ref('int_jurisdiction_labels') }} lb using (jurisdiction_id)
