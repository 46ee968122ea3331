-- No comparison, panel or chosen value is built from a breakdown figure (a subset of the area),
-- from a figure outside its plausible range, or from a news item or other text: every value traces back to an area-wide figure of an annual
-- report, another report or a statistics page. Nor from a figure about a place the document
-- lists (never the report's own total), nor from one below the confidence threshold that no
-- correction brought in. Returns the offending rows. (fct_metric's is_chosen_value is a join
-- to int_lineage_year_values' metric_id: checked through that table. The panel's listed values
-- are checked by listed_places_fill_only_gaps.)
with used as (
    select 'int_lineage_year_values' as model, metric_id, report_id from {{ ref('int_lineage_year_values') }}
    union all
    select 'indicator_panel', metric_id, report_id from {{ ref('indicator_panel') }} where not is_listed
    {%- for model in ['cmp_head_appearance_rate', 'cmp_correction_rate', 'cmp_loss_rate', 'cmp_mediation_success_rate'] %}
    union all
    select '{{ model }}', null, report_id from {{ ref(model) }}
    {%- endfor %}
)

select u.model, u.metric_id, u.report_id, m.breakdown, m.out_of_range, r.kind, m.confidence, m.place_name
from used u
join {{ ref('stg_reports') }} r on r.report_id = u.report_id
left join {{ ref('stg_metrics') }} m on m.metric_id = u.metric_id
left join {{ ref('stg_indicators') }} i on i.indicator_code = m.indicator_code
-- The correction behind a panel row is its chosen value's (the panel's own rows are those values).
left join {{ ref('int_lineage_year_values') }} c on c.metric_id = u.metric_id
where m.breakdown is not null or r.kind not in {{ comparable_kinds() }}
   or m.out_of_range or m.value < i.min_value or m.value > i.max_value
   or not {{ is_own_figure('m') }}
   or (m.metric_id is not null and not {{ is_confident('m') }} and c.correction_id is null)
