-- A label per jurisdiction row that a chart can group by without merging two places: the short
-- name (武隆区) where no other place (lineage) bears it, else the full name with province and city
-- (北京市朝阳区, 吉林省长春市朝阳区), and the code after it where even that repeats (a handful of
-- 1980s recodings). Townships always get their full name: their names repeat by the hundred and
-- the spine holds only the townships reports named, so "unique" could change with the next report.
-- Judged over the whole spine, not the loaded reports: a label does not change when a namesake
-- is loaded. lineage_name is the label of the lineage's current row, the same for every year of
-- one place across renames (蓟县 2015 and 蓟州区 2016 are both 蓟州区), for time series.
{{ config(indexes=[{'columns': ['jurisdiction_id'], 'unique': true}]) }}
with j as (
    select * from {{ ref('stg_jurisdictions') }}
),

short_names as (
    select name, count(distinct lineage_id) as lineages
    from j where level <> 'township' group by name
),

full_names as (
    select full_name, count(distinct lineage_id) as lineages
    from j group by full_name
),

labelled as (
    select
        j.jurisdiction_id,
        j.lineage_id,
        j.code,
        j.level,
        j.valid_to,
        case
            when j.level <> 'township' and s.lineages = 1 then j.name
            when f.lineages = 1 then j.full_name
            else j.full_name || ' (' || coalesce(j.code, j.jurisdiction_id::text) || ')'
        end as display_name
    from j
    left join short_names s on s.name = j.name
    join full_names f on f.full_name = j.full_name
),

current_rows as (
    -- The lineage's terminal row (or the township itself), as dim_jurisdiction names it.
    select distinct on (lineage_id) lineage_id, display_name as lineage_name
    from labelled
    order by lineage_id, (code = lineage_id or level = 'township') desc, valid_to desc nulls first
)

select l.jurisdiction_id, l.display_name, c.lineage_name
from labelled l
join current_rows c using (lineage_id)
