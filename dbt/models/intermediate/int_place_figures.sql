-- Every figure a document states for a place or body it lists (a provincial statistics page with
-- a row per city), resolved to a division of the spine: by its code (the row in force in the
-- listing document's year, else the code's latest row); by its name only when it has no code,
-- and only when the name (full, 浙江省温州市, or short, 温州市) in force that year, at the level
-- given, belongs to one place, or to one place in the listing document's own province (a 吉林省
-- page's 朝阳区 is 长春市朝阳区). A place left unresolved stays in fct_metric and fills nothing.
-- All kinds, confidences and breakdowns: int_place_values chooses among them; fct_metric shows
-- every one with the place it was resolved to.
{{ config(indexes=[{'columns': ['metric_id'], 'unique': true}]) }}
with figures as (
    -- The partial index core.ix_metric_listed_place: few rows among millions, not a scan.
    select m.metric_id, m.report_id, m.place_code, m.place_name, m.place_level, r.report_year,
           rj.province as report_province
    from {{ ref('stg_metrics') }} m
    join {{ ref('stg_reports') }} r using (report_id)
    left join {{ ref('stg_jurisdictions') }} rj on rj.jurisdiction_id = r.jurisdiction_id
    where {{ is_place_figure('m') }}
),

by_code as (
    select distinct on (f.metric_id) f.metric_id, j.jurisdiction_id
    from figures f
    join {{ ref('stg_jurisdictions') }} j on j.code = f.place_code
    order by f.metric_id, {{ valid_in('j', 'f.report_year') }} desc, j.valid_from desc nulls last
),

-- Two equality joins, not one on "or": each can hash, whatever the number of places.
named as (
    select f.metric_id, f.place_level, f.report_year, f.report_province, j.*
    from figures f join {{ ref('stg_jurisdictions') }} j on j.full_name = f.place_name
    where f.place_code is null
    union
    select f.metric_id, f.place_level, f.report_year, f.report_province, j.*
    from figures f join {{ ref('stg_jurisdictions') }} j on j.name = f.place_name
    where f.place_code is null and j.level <> 'township'   -- township names repeat by the hundred
),

by_name as (
    select
        metric_id,
        case
            when count(distinct lineage_id) = 1 then min(jurisdiction_id)
            when count(distinct lineage_id) filter (where province = report_province) = 1
                then min(jurisdiction_id) filter (where province = report_province)
        end as jurisdiction_id
    from named
    where {{ valid_in('named', 'report_year') }}
      and (place_level is null or level = place_level)
    group by metric_id
)

select
    f.metric_id,
    f.report_id,
    f.report_year,
    f.place_code,
    f.place_name,
    f.place_level,
    j.jurisdiction_id,
    j.lineage_id,
    j.full_name as jurisdiction_name,
    case when c.jurisdiction_id is not null then 'code' when n.jurisdiction_id is not null then 'name' end
        as matched_by
from figures f
left join by_code c using (metric_id)
left join by_name n using (metric_id)
left join {{ ref('stg_jurisdictions') }} j on j.jurisdiction_id = coalesce(c.jurisdiction_id, n.jurisdiction_id)
