{# Per report and scope: the stated rate against the rate its own counts give.
   values: one value per report x indicator x scope; where: which reports to check (the reports
   int_report_rate_checks has not seen yet, or the corrected ones for int_rate_checks). #}
{% macro report_rate_check(rate, numerator, denominators, values, where) %}
    select
        report_id,
        scope,
        '{{ rate }}' as indicator_code,
        max(value) filter (where indicator_code = '{{ rate }}') as reported_rate,
        max(value) filter (where indicator_code = '{{ numerator }}') as numerator_count,
        coalesce({% for d in denominators %}max(value) filter (where indicator_code = '{{ d }}'){% if not loop.last %}, {% endif %}{% endfor %}) as denominator_count,
        case
            {%- for d in denominators %}
            when max(value) filter (where indicator_code = '{{ d }}') is not null then '{{ d }}'
            {%- endfor %}
        end as denominator_basis,
        max(measure_ordinal) filter (where indicator_code = '{{ numerator }}')
            = coalesce({% for d in denominators %}max(measure_ordinal) filter (where indicator_code = '{{ d }}'){% if not loop.last %}, {% endif %}{% endfor %})
            as counts_in_same_passage
    from {{ values }}
    where {{ where }}
    group by report_id, scope
{% endmacro %}

{# The four rates' checks (var rates in dbt_project.yml), with the rate the counts give
   (recomputed only from counts stated in one passage). #}
{% macro rate_checks(values, where) %}
with checks as (
    {%- for r in var('rates') %}
    {{ report_rate_check(r.code, r.numerator, r.denominators, values, where) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select
    *,
    case when numerator_count is not null and denominator_count > 0 and counts_in_same_passage
         then round(100.0 * numerator_count / denominator_count, 2) end as recomputed_rate
from checks
{% endmacro %}

{# The indicators each rate is computed from (the rate itself, its numerator, its denominators),
   as rows (rate_code, indicator_code): which corrections touch a rate's check. #}
{% macro rate_members() -%}
    {%- set pairs = [] -%}
    {%- for r in var('rates') -%}
    {%- for c in [r.code, r.numerator] + r.denominators -%}
    {%- do pairs.append("('" ~ r.code ~ "', '" ~ c ~ "')") -%}
    {%- endfor -%}
    {%- endfor -%}
    (values {{ pairs | join(', ') }})
{%- endmacro %}
