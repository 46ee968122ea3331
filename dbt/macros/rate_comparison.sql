{#
  One comparison view of a rate across jurisdictions and years.
  rate:         the rate indicator (reported as stated)
  numerator:    the count over which the rate is recomputed
  denominators: counts that can serve as the base, in order of preference; the first one a
                report states is the basis (e.g. 审结 before 办理 for 复议纠错率)
  Area-wide (jurisdiction) and government-as-party figures stay in separate columns.
  A rate is recomputed only from counts stated in the same passage (report and measure): counts
  from different passages often describe different populations (a township's mediators vs the
  county's committees), and dividing them gives nonsense such as 233%.
  Values come from int_lineage_year_values, so from annual reports first (other reports and
  statistics fill gaps, never news or breakdowns); source_kind and report_id say where the chosen
  rate came from: the stated rate's document, else the counts' document (one passage, one document).
#}
{% macro rate_comparison(rate, numerator, denominators) %}
{% set codes = [rate, numerator] + denominators %}
with vals as (
    select *
    from {{ ref('int_lineage_year_values') }}
    where indicator_code in ({% for c in codes %}'{{ c }}'{% if not loop.last %}, {% endif %}{% endfor %})
),
{% for scope in ['jurisdiction', 'government_as_party'] %}
{{ scope }}_counts as (
    select
        lineage_id,
        report_year,
        max(value) filter (where indicator_code = '{{ rate }}') as reported_rate,
        max(value) filter (where indicator_code = '{{ numerator }}') as numerator_count,
        max(report_id || ':' || measure_ordinal) filter (where indicator_code = '{{ numerator }}') as numerator_passage,
        {%- for d in denominators %}
        max(value) filter (where indicator_code = '{{ d }}') as denominator_{{ loop.index }},
        max(report_id || ':' || measure_ordinal) filter (where indicator_code = '{{ d }}') as denominator_{{ loop.index }}_passage,
        {%- endfor %}
        min(report_id) filter (where indicator_code = '{{ rate }}') as rate_report_id,
        min(source_kind) filter (where indicator_code = '{{ rate }}') as rate_source_kind,
        min(report_id) filter (where indicator_code = '{{ numerator }}') as numerator_report_id,
        min(source_kind) filter (where indicator_code = '{{ numerator }}') as numerator_source_kind
    from vals
    where scope = '{{ scope }}'
    group by lineage_id, report_year
),
{{ scope }}_rates as (
    select
        *,
        coalesce({% for d in denominators %}denominator_{{ loop.index }}{% if not loop.last %}, {% endif %}{% endfor %}) as denominator_count,
        case
            {%- for d in denominators %}
            when denominator_{{ loop.index }} is not null then '{{ d }}'
            {%- endfor %}
        end as denominator_basis,
        numerator_passage = coalesce({% for d in denominators %}denominator_{{ loop.index }}_passage{% if not loop.last %}, {% endif %}{% endfor %})
            as counts_in_same_passage
    from {{ scope }}_counts
),
{{ scope }}_final as (
    select
        *,
        case when denominator_count > 0 and numerator_count is not null and counts_in_same_passage
             then round(100.0 * numerator_count / denominator_count, 2) end as recomputed_rate
    from {{ scope }}_rates
),
{% endfor %}
keys as (
    -- A place-year belongs in the view when it states the rate or its numerator in either scope.
    select lineage_id, report_year from jurisdiction_final
    where reported_rate is not null or numerator_count is not null
    union
    select lineage_id, report_year from government_as_party_final
    where reported_rate is not null or numerator_count is not null
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
        coalesce(j.reported_rate, j.recomputed_rate) as chosen_rate,
        case
            when j.reported_rate is not null then 'reported'
            when j.recomputed_rate is not null then 'recomputed: {{ numerator }} / ' || j.denominator_basis
        end as chosen_rate_source,
        round(j.reported_rate - j.recomputed_rate, 2) as gap_points,
        -- Null when either rate is missing: "unknown" must not count as "agrees" in a filter.
        abs(j.reported_rate - j.recomputed_rate) > 0.5 as gap_flag,
        coalesce(j.rate_report_id, j.numerator_report_id) as report_id,
        coalesce(j.rate_source_kind, j.numerator_source_kind) as source_kind,
        coalesce(g.rate_source_kind, g.numerator_source_kind) as gov_source_kind,
        g.numerator_count as gov_numerator_count,
        g.denominator_count as gov_denominator_count,
        g.reported_rate as gov_reported_rate,
        g.recomputed_rate as gov_recomputed_rate,
        coalesce(g.reported_rate, g.recomputed_rate) as gov_chosen_rate
    from keys k
    join {{ ref('int_lineage_years') }} y on y.lineage_id = k.lineage_id and y.report_year = k.report_year
    left join jurisdiction_final j on j.lineage_id = k.lineage_id and j.report_year = k.report_year
    left join government_as_party_final g on g.lineage_id = k.lineage_id and g.report_year = k.report_year
),
ranked as (
    select
        lineage_id,
        report_year,
        rank() over w_desc as rank_in_province_level,
        count(*) over w_all as peers_in_province_level,
        round((100 * percent_rank() over w_asc)::numeric, 1) as percentile_in_province_level
    from joined
    where chosen_rate is not null
    window
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
    p.gap_points::double precision as gap_points,
    p.gap_flag,
    r.rank_in_province_level,
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
    p.report_id,
    p.source_kind,
    p.gov_source_kind,
    {{ province_iso('p.jurisdiction_code') }} as province_iso
from with_previous p
left join ranked r on r.lineage_id = p.lineage_id and r.report_year = p.report_year
left join medians m on m.province = p.province and m.level = p.level and m.report_year = p.report_year
{% endmacro %}
