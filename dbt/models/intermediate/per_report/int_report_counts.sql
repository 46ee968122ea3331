-- What each report states: figures, distinct indicators (area-wide), core indicators, measures.
-- Incremental (per_report): counted once per report, from its own rows and the catalogue.
{{ config(indexes=[{'columns': ['report_id'], 'unique': true}]) }}
with reports as (
    select report_id from {{ ref('stg_reports') }}
    where {{ reports_to_add() }}
),

stated as (
    select
        m.report_id,
        count(*) as metrics_stated,
        -- A breakdown (涉企, one town...) does not state the area's indicator, nor does a place the
        -- document lists (a row per city). Confidence is not judged here: this counts what the
        -- document states, for coverage, not what the comparisons use.
        count(distinct m.indicator_code) filter (where m.breakdown is null and {{ is_own_figure('m') }})
            as indicators_stated,
        count(distinct m.indicator_code) filter (where i.core and m.breakdown is null and {{ is_own_figure('m') }})
            as core_indicators_stated
    from {{ ref('stg_metrics') }} m
    join {{ ref('stg_indicators') }} i using (indicator_code)
    where {{ reports_to_add('m.report_id') }}   -- an index range on the figures, not a semi-join
    group by m.report_id
),

measures as (
    select report_id, count(*) as measures
    from {{ ref('stg_measures') }}
    where {{ reports_to_add() }}
    group by report_id
)

select
    r.report_id,
    coalesce(st.metrics_stated, 0) as metrics_stated,
    coalesce(st.indicators_stated, 0) as indicators_stated,
    coalesce(st.core_indicators_stated, 0) as core_indicators_stated,
    coalesce(me.measures, 0) as measures
from reports r
left join stated st using (report_id)
left join measures me using (report_id)
