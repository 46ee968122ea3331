-- Wide panel: one row per lineage x year, one column per core indicator (area-wide scope).
-- Columns follow the catalogue in core.indicator, read when the model compiles.
{{ config(post_hook="{{ comment_indicator_columns(this) }}",
          indexes=[{'columns': ['province', 'report_year']}, {'columns': ['report_year', 'level']},
                   {'columns': ['lineage_id', 'report_year'], 'unique': true}]) }}
{% set codes_sql %}select code from {{ source('core', 'indicator') }} where core order by code{% endset %}
{% set codes = run_query(codes_sql).columns[0].values() if execute else [] %}
select
    y.lineage_id,
    y.code as jurisdiction_code,
    y.jurisdiction_name,
    y.display_name,
    y.lineage_name,
    y.level,
    y.province,
    y.report_year::integer as report_year,
    make_date(y.report_year, 1, 1) as period,
    -- The kinds the row's values come from, e.g. annual_report,statistics (the alphabetical
    -- order is also the rank order: annual_report, other_report, statistics).
    string_agg(distinct v.source_kind, ',' order by v.source_kind) as source_kinds
    {%- for code in codes %},
    (max(v.value) filter (where v.indicator_code = '{{ code }}'))::double precision as "{{ code | replace('.', '__') }}"
    {%- endfor %}
from {{ ref('int_lineage_years') }} y
left join {{ ref('int_lineage_year_values') }} v
    on v.lineage_id = y.lineage_id and v.report_year = y.report_year and v.scope = 'jurisdiction'
group by y.lineage_id, y.code, y.jurisdiction_name, y.display_name, y.lineage_name, y.level, y.province, y.report_year
