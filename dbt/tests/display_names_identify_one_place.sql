-- A chart grouped by a label must never merge two places: each display_name and each
-- lineage_name belongs to one lineage.
select 'display_name' as label, l.display_name as value
from {{ ref('int_jurisdiction_labels') }} l
join {{ ref('stg_jurisdictions') }} j using (jurisdiction_id)
group by l.display_name
having count(distinct j.lineage_id) > 1
union all
select 'lineage_name', l.lineage_name
from {{ ref('int_jurisdiction_labels') }} l
join {{ ref('stg_jurisdictions') }} j using (jurisdiction_id)
group by l.lineage_name
having count(distinct j.lineage_id) > 1
