-- Documents per jurisdiction and year, their timeliness against the legal deadline and how many
-- indicators each states. The deadline (1 April of the following year) binds annual reports
-- only: for other kinds the deadline columns are null.
{{ config(indexes=[{'columns': ['province', 'report_year']}, {'columns': ['report_year']},
                   {'columns': ['report_id'], 'unique': true}, {'columns': ['lineage_id']}]) }}
select
    s.report_id,
    s.jurisdiction_name,
    lb.display_name,
    lb.lineage_name,
    j.level,
    {{ level_zh('j.level') }} as level_zh,
    j.province,
    j.lineage_id,
    s.report_year::integer as report_year,
    make_date(s.report_year, 1, 1) as period,
    s.issuer,
    s.title,
    s.kind,
    s.published_on,
    d.legal_deadline,
    s.published_on <= d.legal_deadline as published_by_deadline,
    s.published_on - d.legal_deadline as days_after_deadline,
    -- A category to group and colour by; null where no deadline applies (not an annual report).
    case when d.legal_deadline is null then null
         when s.published_on is null then 'no_date'
         when s.published_on <= d.legal_deadline then 'on_time'
         else 'late' end as deadline_status,
    case when d.legal_deadline is null then null
         when s.published_on is null then '发布日期不详'
         when s.published_on <= d.legal_deadline then '按期发布'
         else '逾期发布' end as deadline_status_zh,
    count(*) over (partition by j.lineage_id, s.report_year, s.kind) as reports_for_place_year,
    coalesce(c.indicators_stated, 0) as indicators_stated,
    coalesce(c.core_indicators_stated, 0) as core_indicators_stated,
    coalesce(c.metrics_stated, 0) as metrics_stated,
    coalesce(c.measures, 0) as measures
from {{ ref('stg_reports') }} s
left join {{ ref('stg_jurisdictions') }} j using (jurisdiction_id)
left join {{ ref('int_jurisdiction_labels') }} lb using (jurisdiction_id)
-- Counted once per report, kept incrementally (int_report_counts).
left join {{ ref('int_report_counts') }} c using (report_id)
cross join lateral (
    select case when s.kind = 'annual_report' then make_date(s.report_year + 1, 4, 1) end as legal_deadline
) d
