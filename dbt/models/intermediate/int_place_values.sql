-- One value per listed place (lineage) x year x indicator x scope: what other documents list for a
-- place (a provincial statistics page with a row per city), for the panel rows where the place's
-- own documents state nothing. Only figures that could speak for the place:
--   - resolved to one place (int_place_figures);
--   - from a comparable document (annual report, other report, statistics; never news) in its
--     latest version, with a year (the listing document's year is the place's);
--   - the place's total: no breakdown, or a breakdown that only names the place (a table row's
--     label, 温州市 for 浙江省温州市); in the plausible range; at or above the confidence threshold.
-- Chosen as the places' own values are (int_lineage_year_values): the kind of the listing
-- document, the government's own before a department's, the latest published; within one
-- document counts take the largest statement, rates the first.
-- fills_gap: the place's own documents state nothing for the key (neither the figure nor, for a
-- rate, counts that give it), so the chosen values (int_chosen_values: cmp_*, panels) take it.
{{ config(indexes=[{'columns': ['lineage_id', 'report_year', 'indicator_code', 'scope'], 'unique': true},
                   {'columns': ['metric_id'], 'unique': true}]) }}
with candidates as (
    select
        p.lineage_id,
        p.report_year,
        p.jurisdiction_id,
        m.indicator_code,
        m.scope,
        m.value,
        m.unit,
        m.qualifier,
        m.report_id,
        r.kind as source_kind,
        m.measure_ordinal,
        m.metric_id,
        m.evidence,
        m.confidence,
        row_number() over (
            partition by p.lineage_id, p.report_year, m.indicator_code, m.scope
            order by {{ kind_rank('r.kind') }}, (v.issuer_kind = 'government') desc nulls last,
                     r.published_on desc nulls last, r.ingested_at desc, r.report_id desc,
                     case when i.kind in ('count', 'amount') then m.value end desc nulls last, m.start_offset
        ) as pick,
        -- Distinct documents listing the key (window functions take no distinct): ranks both ways.
        dense_rank() over (partition by p.lineage_id, p.report_year, m.indicator_code, m.scope order by m.report_id)
        + dense_rank() over (partition by p.lineage_id, p.report_year, m.indicator_code, m.scope
                             order by m.report_id desc) - 1 as reports_listing
    from {{ ref('int_place_figures') }} p
    join {{ ref('stg_metrics') }} m using (metric_id)
    join {{ ref('stg_indicators') }} i using (indicator_code)
    join {{ ref('stg_reports') }} r on r.report_id = p.report_id
    -- A document whose own place is unknown has no versions to compare: it counts as its latest.
    left join {{ ref('int_reports_mapped') }} v on v.report_id = p.report_id
    where p.lineage_id is not null
      and p.report_year is not null
      and {{ kind_rank('r.kind') }} is not null
      and coalesce(v.is_latest_version, true)
      and (m.breakdown is null or strpos(coalesce(p.place_name, ''), m.breakdown) > 0
           or strpos(p.jurisdiction_name, m.breakdown) > 0)
      and not m.out_of_range
      and m.value between coalesce(i.min_value, m.value) and coalesce(i.max_value, m.value)
      and {{ is_confident('m') }}
)

select
    c.lineage_id,
    c.report_year,
    c.indicator_code,
    c.scope,
    c.value,
    c.unit,
    c.qualifier,
    c.jurisdiction_id,
    c.report_id,
    c.source_kind,
    c.measure_ordinal,
    c.metric_id,
    c.evidence,
    c.confidence,
    c.reports_listing,
    not exists (
        select 1 from {{ ref('int_lineage_year_values') }} o
        where o.lineage_id = c.lineage_id and o.report_year = c.report_year
          and o.indicator_code = c.indicator_code and o.scope = c.scope
    )
    -- A rate the place's own counts give comes before a listed one (int_chosen_values' rule).
    and not exists (
        select 1 from {{ ref('int_rate_values') }} o
        where o.lineage_id = c.lineage_id and o.report_year = c.report_year
          and o.indicator_code = c.indicator_code and o.scope = c.scope
          and o.recomputed_rate is not null and {{ var('recompute_rates') }}
    ) as fills_gap
from candidates c
where c.pick = 1
