-- A value another document lists for a place (a provincial page's row per city) reaches the panel
-- only for that place, only where the place's own documents state nothing for the key (so the
-- long panel's grain holds: own and listed keys never overlap), and only from a figure that
-- is about a listed place, of a comparable document, at or above the confidence threshold.
-- Returns the offending rows: small (listed values), read through unique indexes.
select p.lineage_id, p.report_year, p.indicator_code, p.scope, p.metric_id, 'own value exists' as problem
from {{ ref('int_place_values') }} p
join {{ ref('int_lineage_year_values') }} o
  on o.lineage_id = p.lineage_id and o.report_year = p.report_year
 and o.indicator_code = p.indicator_code and o.scope = p.scope
where p.fills_gap
union all
-- Nor where the place's own counts give the rate (int_chosen_values takes the recomputed rate):
-- with the first check, int_chosen_values' grain (own, recomputed and listed never overlap).
select p.lineage_id, p.report_year, p.indicator_code, p.scope, p.metric_id, 'recomputed rate exists'
from {{ ref('int_place_values') }} p
join {{ ref('int_rate_values') }} o
  on o.lineage_id = p.lineage_id and o.report_year = p.report_year
 and o.indicator_code = p.indicator_code and o.scope = p.scope
where p.fills_gap and o.recomputed_rate is not null and {{ var('recompute_rates') }}
union all
select p.lineage_id, p.report_year, p.indicator_code, p.scope, p.metric_id, 'not this place''s figure'
from {{ ref('int_place_values') }} p
join {{ ref('stg_metrics') }} m using (metric_id)
join {{ ref('int_place_figures') }} f using (metric_id)
join {{ ref('stg_reports') }} r on r.report_id = m.report_id
where {{ is_own_figure('m') }} or f.lineage_id is distinct from p.lineage_id
   or r.kind not in {{ comparable_kinds() }} or not {{ is_confident('m') }}
