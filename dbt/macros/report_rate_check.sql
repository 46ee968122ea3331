{# Per report and scope: the stated rate against the rate its own counts give (for the reports
   int_report_rate_checks has not seen yet, see reports_to_add). #}
{% macro report_rate_check(rate, numerator, denominators) %}
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
    from {{ ref('int_report_indicator_values') }}
    where {{ reports_to_add() }}
    group by report_id, scope
{% endmacro %}
