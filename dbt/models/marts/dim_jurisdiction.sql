{{ config(indexes=[{'columns': ['jurisdiction_id'], 'unique': true}, {'columns': ['lineage_id']}, {'columns': ['code']}]) }}
with j as (
    select * from {{ ref('stg_jurisdictions') }}
),

lineages as (
    select
        lineage_id,
        string_agg(full_name || ' ' || coalesce(valid_from::text, '') || '-' || coalesce(valid_to::text, ''),
                   '; ' order by valid_from nulls last, full_name) as names_over_time
    from j
    group by lineage_id
),

current_names as (
    -- The name the lineage carries now: its terminal row (or the township itself).
    select distinct on (lineage_id) lineage_id, full_name as current_name
    from j
    order by lineage_id, (code = lineage_id or level = 'township') desc, valid_to desc nulls first
)

select
    j.jurisdiction_id,
    j.code,
    j.name,
    j.full_name,
    j.level,
    {{ level_zh('j.level') }} as level_zh,
    j.province,
    j.city,
    p.code as parent_code,
    j.parent_id,
    j.valid_from,
    j.valid_to,
    j.status,
    j.lineage_id,
    c.current_name as lineage_current_name,
    l.names_over_time,
    lb.display_name,
    lb.lineage_name,
    {{ province_iso('j.code') }} as province_iso
from j
left join {{ ref('int_jurisdiction_labels') }} lb using (jurisdiction_id)
left join j p on p.jurisdiction_id = j.parent_id
left join lineages l on l.lineage_id = j.lineage_id
left join current_names c on c.lineage_id = j.lineage_id
