-- No comparison, panel or chosen value is built from a breakdown figure (a subset of the area),
-- from a figure outside its plausible range, or from a news item or other text: every value traces back to an area-wide figure of an annual
-- report, another report or a statistics page. Returns the offending rows. (fct_metric's
-- is_chosen_value is a join to int_lineage_year_values' metric_id: checked through that table.)
with used as (
    select 'int_lineage_year_values' as model, metric_id, report_id from {{ ref('int_lineage_year_values') }}
    union all
    select 'indicator_panel', metric_id, report_id from {{ ref('indicator_panel') }}
    {%- for model in ['cmp_head_appearance_rate', 'cmp_correction_rate', 'cmp_loss_rate', 'cmp_mediation_success_rate'] %}
    union all
    select '{{ model }}', null, report_id from {{ ref(model) }}
    {%- endfor %}
)

select u.model, u.metric_id, u.report_id, m.breakdown, m.out_of_range, r.kind
from used u
join {{ ref('stg_reports') }} r on r.report_id = u.report_id
left join {{ ref('stg_metrics') }} m on m.metric_id = u.metric_id
left join {{ ref('stg_indicators') }} i on i.indicator_code = m.indicator_code
where m.breakdown is not null or r.kind not in {{ comparable_kinds() }}
   or m.out_of_range or m.value < i.min_value or m.value > i.max_value
