-- Reports per jurisdiction and year, their timeliness against the legal deadline
-- (1 April of the following year) and how many indicators each states.
with stated as (
    select
        report_id,
        count(*) as metrics_stated,
        count(distinct indicator_code) as indicators_stated,
        count(distinct indicator_code) filter (where i.core) as core_indicators_stated
    from {{ ref('stg_metrics') }}
    join {{ ref('stg_indicators') }} i using (indicator_code)
    group by report_id
),

measures as (
    select report_id, count(*) as measures
    from {{ ref('stg_measures') }}
    group by report_id
)

select
    s.report_id,
    s.jurisdiction_name,
    j.level,
    j.province,
    j.lineage_id,
    s.report_year,
    s.issuer,
    s.title,
    s.published_on,
    make_date(s.report_year + 1, 4, 1) as legal_deadline,
    s.published_on <= make_date(s.report_year + 1, 4, 1) as published_by_deadline,
    s.published_on - make_date(s.report_year + 1, 4, 1) as days_after_deadline,
    count(*) over (partition by j.lineage_id, s.report_year) as reports_for_place_year,
    coalesce(st.indicators_stated, 0) as indicators_stated,
    coalesce(st.core_indicators_stated, 0) as core_indicators_stated,
    coalesce(st.metrics_stated, 0) as metrics_stated,
    coalesce(me.measures, 0) as measures
from {{ ref('stg_reports') }} s
left join {{ ref('stg_jurisdictions') }} j using (jurisdiction_id)
left join stated st using (report_id)
left join measures me using (report_id)
