-- Each rate (var rates) per lineage x year x scope, from the chosen values of int_lineage_year_values
-- (after corrections): the stated rate, the counts, and the rate they give. A rate is recomputed
-- only from counts stated in the same passage (report and measure): counts from different
-- passages often describe different populations (a township's mediators vs the county's
-- committees), and dividing them gives nonsense such as 233%. The first denominator stated is
-- the base (审结 before 办理 for 复议纠错率). int_chosen_values takes the recomputed rate where no
-- rate is stated; cmp_* shows both.
{{ config(indexes=[{'columns': ['lineage_id', 'report_year', 'indicator_code', 'scope'], 'unique': true}]) }}
{%- set codes = [] -%}
{%- for r in var('rates') -%}{%- for c in [r.code, r.numerator] + r.denominators -%}{%- do codes.append(c) -%}{%- endfor -%}{%- endfor %}
with vals as (
    select * from {{ ref('int_lineage_year_values') }}
    where indicator_code in ('{{ codes | unique | join("', '") }}')
),

counts as (
    {%- for r in var('rates') %}
    select
        lineage_id,
        report_year,
        scope,
        '{{ r.code }}'::text as indicator_code,
        max(value) filter (where indicator_code = '{{ r.code }}') as reported_rate,
        max(value) filter (where indicator_code = '{{ r.numerator }}') as numerator_count,
        coalesce({% for d in r.denominators %}max(value) filter (where indicator_code = '{{ d }}'){% if not loop.last %}, {% endif %}{% endfor %}) as denominator_count,
        case
            {%- for d in r.denominators %}
            when max(value) filter (where indicator_code = '{{ d }}') is not null then '{{ d }}'
            {%- endfor %}
        end as denominator_basis,
        max(report_id || ':' || measure_ordinal) filter (where indicator_code = '{{ r.numerator }}')
            = coalesce({% for d in r.denominators %}max(report_id || ':' || measure_ordinal) filter (where indicator_code = '{{ d }}'){% if not loop.last %}, {% endif %}{% endfor %})
            as counts_in_same_passage,
        min(report_id) filter (where indicator_code = '{{ r.code }}') as rate_report_id,
        min(source_kind) filter (where indicator_code = '{{ r.code }}') as rate_source_kind,
        min(report_id) filter (where indicator_code = '{{ r.numerator }}') as numerator_report_id,
        min(source_kind) filter (where indicator_code = '{{ r.numerator }}') as numerator_source_kind,
        min(jurisdiction_id) filter (where indicator_code = '{{ r.numerator }}') as numerator_jurisdiction_id,
        min(evidence) filter (where indicator_code = '{{ r.numerator }}') as numerator_evidence,
        coalesce({% for d in r.denominators %}min(evidence) filter (where indicator_code = '{{ d }}'){% if not loop.last %}, {% endif %}{% endfor %}) as denominator_evidence,
        -- The corrections behind the counts (null when as extracted): a rate recomputed from a
        -- corrected count is a corrected rate.
        max(correction_id) filter (where indicator_code = '{{ r.numerator }}') as numerator_correction_id,
        coalesce({% for d in r.denominators %}max(correction_id) filter (where indicator_code = '{{ d }}'){% if not loop.last %}, {% endif %}{% endfor %}) as denominator_correction_id
    from vals
    where indicator_code in ('{{ ([r.code, r.numerator] + r.denominators) | join("', '") }}')
    group by lineage_id, report_year, scope
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select
    *,
    case when denominator_count > 0 and numerator_count is not null and counts_in_same_passage
         then round(100.0 * numerator_count / denominator_count, 2) end as recomputed_rate
from counts
