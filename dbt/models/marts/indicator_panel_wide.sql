-- Wide panel: one row per lineage x year, one column per core indicator (area-wide scope).
-- Columns follow the catalogue in core.indicator, read when the model compiles.
-- Values as in indicator_panel and cmp_* (int_chosen_values, the one value rule): the place's own
-- stated values, rates recomputed from its counts where none is stated, then what another
-- document lists for it (a provincial page's row per city); value_sources and listed_by_report_ids
-- say which rows hold listed values, recomputed_indicators and corrected_indicators which values
-- were recomputed or corrected.
{{ config(post_hook="{{ comment_indicator_columns(this) }}",
          indexes=[{'columns': ['province', 'report_year']}, {'columns': ['report_year', 'level']},
                   {'columns': ['lineage_id', 'report_year'], 'unique': true}]) }}
{% set codes_sql %}select code from {{ source('core', 'indicator') }} where core order by code{% endset %}
{% set codes = run_query(codes_sql).columns[0].values() if execute else [] %}
with vals as (
    select lineage_id, report_year, indicator_code, value, source_kind, report_id, value_source, is_listed,
           chosen_source, is_corrected
    from {{ ref('int_chosen_values') }}
    where scope = 'jurisdiction'
)

select
    y.lineage_id,
    y.code as jurisdiction_code,
    y.jurisdiction_name,
    y.display_name,
    y.lineage_name,
    y.level,
    {{ level_zh('y.level') }} as level_zh,
    y.province,
    y.report_year::integer as report_year,
    make_date(y.report_year, 1, 1) as period,
    -- The kinds the row's values come from, e.g. annual_report,statistics (the alphabetical
    -- order is also the rank order: annual_report, other_report, statistics).
    string_agg(distinct v.source_kind, ',' order by v.source_kind) as source_kinds,
    -- e.g. 'listed by statistics,own report': some values listed by another document.
    string_agg(distinct v.value_source, ',' order by v.value_source) as value_sources,
    string_agg(distinct v.report_id::text, ',' order by v.report_id::text) filter (where v.is_listed)
        as listed_by_report_ids,
    -- The indicators whose value the row recomputed from counts, or a researcher's correction
    -- touches (codes, comma-separated; the long panel has the correction's reason and reviewer).
    string_agg(v.indicator_code, ',' order by v.indicator_code) filter (where v.chosen_source = 'recomputed')
        as recomputed_indicators,
    coalesce(bool_or(v.is_corrected), false) as is_corrected,
    string_agg(v.indicator_code, ',' order by v.indicator_code) filter (where v.is_corrected)
        as corrected_indicators
    {%- for code in codes %},
    (max(v.value) filter (where v.indicator_code = '{{ code }}'))::double precision as "{{ code | replace('.', '__') }}"
    {%- endfor %}
from {{ ref('int_lineage_years') }} y
left join vals v on v.lineage_id = y.lineage_id and v.report_year = y.report_year
group by y.lineage_id, y.code, y.jurisdiction_name, y.display_name, y.lineage_name, y.level, y.province, y.report_year
