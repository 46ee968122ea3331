-- Documents per jurisdiction and year, their timeliness against the legal deadline and how many
-- indicators each states. The deadline (1 April of the following year) binds annual reports
-- only: for other kinds the deadline columns are null.
with stated as (
    select
        report_id,
        count(*) as metrics_stated,
        -- A breakdown (涉企, one town...) does not state the area's indicator.
        count(distinct indicator_code) filter (where breakdown is null) as indicators_stated,
        count(distinct indicator_code) filter (where i.core and breakdown is null) as core_indicators_stated
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
    s.kind,
    s.published_on,
    d.legal_deadline,
    s.published_on <= d.legal_deadline as published_by_deadline,
    s.published_on - d.legal_deadline as days_after_deadline,
    count(*) over (partition by j.lineage_id, s.report_year, s.kind) as reports_for_place_year,
    coalesce(st.indicators_stated, 0) as indicators_stated,
    coalesce(st.core_indicators_stated, 0) as core_indicators_stated,
    coalesce(st.metrics_stated, 0) as metrics_stated,
    coalesce(me.measures, 0) as measures
from {{ ref('stg_reports') }} s
left join {{ ref('stg_jurisdictions') }} j using (jurisdiction_id)
left join stated st using (report_id)
left join measures me using (report_id)
cross join lateral (
    select case when s.kind = 'annual_report' then make_date(s.report_year + 1, 4, 1) end as legal_deadline
) d
