-- One area-wide value per report x indicator x scope. Breakdown figures (涉企, 医疗纠纷, one town,
-- one department, one case type...) cover a subset of the area and are never the total: they are
-- left out here, and so from everything downstream (comparisons, panel, audit). So are figures
-- outside the indicator's plausible range (a rate above 100, a count beyond its ceiling): flagged
-- by the parser, or outside the catalogue's range as it stands now.
-- When a report states the same indicator and scope more than once:
--   counts and amounts: the largest statement. Repeated counts are sub-figures (one programme,
--     one group of mediators, one month) of the area total, never more than it.
--   rates: the first statement (the headline figure comes before its breakdowns).
-- Incremental (per_report): a report's values depend only on its own figures and the catalogue.
{{ config(indexes=[{'columns': ['report_id', 'indicator_code', 'scope'], 'unique': true},
                  {'columns': ['metric_id'], 'unique': true}]) }}
with ranked as (
    select
        m.*,
        row_number() over (
            partition by m.report_id, m.indicator_code, m.scope
            order by case when i.kind in ('count', 'amount') then m.value end desc nulls last, m.start_offset
        ) as statement_rank,
        count(*) over (partition by m.report_id, m.indicator_code, m.scope) as statements
    from {{ ref('stg_metrics') }} m
    join {{ ref('stg_indicators') }} i using (indicator_code)
    where m.breakdown is null
      and not m.out_of_range
      and m.value between coalesce(i.min_value, m.value) and coalesce(i.max_value, m.value)
      and {{ reports_to_add('m.report_id') }}
)

select
    metric_id,
    report_id,
    measure_ordinal,
    indicator_code,
    scope,
    value,
    unit,
    qualifier,
    evidence,
    start_offset,
    end_offset,
    statements
from ranked
where statement_rank = 1
