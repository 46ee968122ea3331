{#
  One comparison view of a rate (var rates in dbt_project.yml) across jurisdictions and years.
  The stated rate, the counts and the rate they give come from int_rate_values; the chosen rate,
  its source (stated / recomputed / corrected / confirmed), whether another document listed it and
  the correction behind it from int_chosen_values, the one value rule every surface reads.
  Area-wide (jurisdiction) and government-as-party figures stay in separate columns.
  Ranks, in the year across all places (_in_year) and within province x level (_in_province_level),
  highest first: rank (1, 1, 3), dense_rank (1, 1, 2), ties (places sharing the value) and
  position, a unique order that breaks ties by jurisdiction code, then lineage id, so a top-N
  chart shows the same places on every build.
#}
{% macro rate_comparison(rate) %}
with rates as (
    select * from {{ ref('int_rate_values') }} where indicator_code = '{{ rate }}'
),
chosen as (
    select * from {{ ref('int_chosen_values') }} where indicator_code = '{{ rate }}'
),
keys as (
    -- A place-year belongs in the view when it has a chosen rate or states the rate or its
    -- numerator, in either scope.
    select lineage_id, report_year from rates where reported_rate is not null or numerator_count is not null
    union
    select lineage_id, report_year from chosen
),
joined as (
    select
        k.lineage_id,
        y.jurisdiction_id,
        y.code as jurisdiction_code,
        y.jurisdiction_name,
        y.display_name,
        y.lineage_name,
        y.level,
        y.province,
        y.city,
        k.report_year,
        j.numerator_count,
        j.denominator_count,
        j.denominator_basis,
        j.counts_in_same_passage,
        j.reported_rate,
        j.recomputed_rate,
        c.value as chosen_rate,
        c.chosen_source as chosen_rate_source,
        coalesce(c.is_listed, false) as is_listed,
        coalesce(c.is_corrected, false) as is_corrected,
        c.correction_action,
        c.correction_reason,
        c.corrected_by,
        c.corrected_at,
        round(j.reported_rate - j.recomputed_rate, 2) as gap_points,
        -- Null when either rate is missing: "unknown" must not count as "agrees" in a filter.
        abs(j.reported_rate - j.recomputed_rate) > 0.5 as gap_flag,
        coalesce(c.report_id, j.rate_report_id, j.numerator_report_id) as report_id,
        coalesce(c.source_kind, j.rate_source_kind, j.numerator_source_kind) as source_kind,
        coalesce(gc.source_kind, g.rate_source_kind, g.numerator_source_kind) as gov_source_kind,
        g.numerator_count as gov_numerator_count,
        g.denominator_count as gov_denominator_count,
        g.reported_rate as gov_reported_rate,
        g.recomputed_rate as gov_recomputed_rate,
        gc.value as gov_chosen_rate,
        gc.chosen_source as gov_chosen_rate_source,
        coalesce(gc.is_corrected, false) as gov_is_corrected
    from keys k
    join {{ ref('int_lineage_years') }} y on y.lineage_id = k.lineage_id and y.report_year = k.report_year
    left join rates j on j.lineage_id = k.lineage_id and j.report_year = k.report_year and j.scope = 'jurisdiction'
    left join rates g on g.lineage_id = k.lineage_id and g.report_year = k.report_year and g.scope = 'government_as_party'
    left join chosen c on c.lineage_id = k.lineage_id and c.report_year = k.report_year and c.scope = 'jurisdiction'
    left join chosen gc on gc.lineage_id = k.lineage_id and gc.report_year = k.report_year and gc.scope = 'government_as_party'
),
ranked as (
    select
        lineage_id,
        report_year,
        rank() over w_year as rank_in_year,
        dense_rank() over w_year as dense_rank_in_year,
        count(*) over (partition by report_year, chosen_rate) as ties_in_year,
        row_number() over (partition by report_year order by chosen_rate desc, jurisdiction_code nulls last, lineage_id)
            as position_in_year,
        count(*) over (partition by report_year) as peers_in_year,
        rank() over w_desc as rank_in_province_level,
        dense_rank() over w_desc as dense_rank_in_province_level,
        count(*) over (partition by province, level, report_year, chosen_rate) as ties_in_province_level,
        row_number() over (partition by province, level, report_year
                           order by chosen_rate desc, jurisdiction_code nulls last, lineage_id) as position_in_province_level,
        count(*) over w_all as peers_in_province_level,
        round((100 * percent_rank() over w_asc)::numeric, 1) as percentile_in_province_level
    from joined
    where chosen_rate is not null
    window
        w_year as (partition by report_year order by chosen_rate desc),
        w_desc as (partition by province, level, report_year order by chosen_rate desc),
        w_asc as (partition by province, level, report_year order by chosen_rate),
        w_all as (partition by province, level, report_year)
),
medians as (
    select
        province,
        level,
        report_year,
        round((percentile_cont(0.5) within group (order by chosen_rate))::numeric, 2) as province_median
    from joined
    where chosen_rate is not null
    group by province, level, report_year
),
with_previous as (
    select
        *,
        lag(chosen_rate) over (partition by lineage_id order by report_year) as previous_rate,
        lag(report_year) over (partition by lineage_id order by report_year) as previous_year
    from joined
)

-- Types a BI tool aggregates as numbers: counts bigint, rates and points double precision (numeric
-- reaches Python clients as Decimal objects, which pandas-based tools keep as objects), the year
-- an integer, and a date (period) for time grains and time-range filters.
select
    p.lineage_id,
    p.jurisdiction_id,
    p.jurisdiction_code,
    p.jurisdiction_name,
    p.display_name,
    p.lineage_name,
    p.level,
    {{ level_zh('p.level') }} as level_zh,
    p.province,
    p.city,
    p.report_year::integer as report_year,
    make_date(p.report_year, 1, 1) as period,
    p.numerator_count::bigint as numerator_count,
    p.denominator_count::bigint as denominator_count,
    p.denominator_basis,
    p.counts_in_same_passage,
    p.reported_rate::double precision as reported_rate,
    p.recomputed_rate::double precision as recomputed_rate,
    p.chosen_rate::double precision as chosen_rate,
    p.chosen_rate_source,
    p.is_listed,
    p.is_corrected,
    p.correction_action,
    p.correction_reason,
    p.corrected_by,
    p.corrected_at,
    p.gap_points::double precision as gap_points,
    p.gap_flag,
    r.rank_in_year,
    r.dense_rank_in_year,
    r.ties_in_year,
    r.position_in_year,
    r.peers_in_year,
    r.rank_in_province_level,
    r.dense_rank_in_province_level,
    r.ties_in_province_level,
    r.position_in_province_level,
    r.peers_in_province_level,
    r.percentile_in_province_level::double precision as percentile_in_province_level,
    m.province_median::double precision as province_median,
    case when p.previous_year = p.report_year - 1 then round(p.chosen_rate - p.previous_rate, 2) end::double precision
        as change_from_previous_year,
    p.gov_numerator_count::bigint as gov_numerator_count,
    p.gov_denominator_count::bigint as gov_denominator_count,
    p.gov_reported_rate::double precision as gov_reported_rate,
    p.gov_recomputed_rate::double precision as gov_recomputed_rate,
    p.gov_chosen_rate::double precision as gov_chosen_rate,
    p.gov_chosen_rate_source,
    p.gov_is_corrected,
    p.report_id,
    p.source_kind,
    p.gov_source_kind,
    {{ province_iso('p.jurisdiction_code') }} as province_iso
from with_previous p
left join ranked r on r.lineage_id = p.lineage_id and r.report_year = p.report_year
left join medians m on m.province = p.province and m.level = p.level and m.report_year = p.report_year
{% endmacro %}

{# Every indicator a comparison view (cmp_*) reads: the rates and the counts they are recomputed
   from, as the cmp_* models pass them to rate_comparison. The review queue (review_queue) puts
   their figures first. #}
{% macro comparison_indicator_codes() -%}
    ('litigation.head_appearance_rate', 'litigation.head_appearances', 'litigation.hearings', 'litigation.cases',
     'litigation.loss_rate', 'litigation.lost', 'litigation.closed',
     'reconsideration.correction_rate', 'reconsideration.corrected', 'reconsideration.closed',
     'reconsideration.handled',
     'mediation.success_rate', 'mediation.succeeded', 'mediation.disputes')
{%- endmacro %}
