-- One value per jurisdiction lineage x year x indicator x scope, from the latest versions.
-- Several reports for one place and year (government and its departments): the government's
-- own report wins, then the latest published, then the latest loaded.
with candidates as (
    select
        v.*,
        r.lineage_id,
        r.report_year,
        r.jurisdiction_id,
        row_number() over (
            partition by r.lineage_id, r.report_year, v.indicator_code, v.scope
            order by (r.issuer_kind = 'government') desc, r.published_on desc nulls last,
                     r.ingested_at desc, r.report_id desc
        ) as pick,
        count(*) over (partition by r.lineage_id, r.report_year, v.indicator_code, v.scope) as reports_stating
    from {{ ref('int_report_indicator_values') }} v
    join {{ ref('int_reports_mapped') }} r using (report_id)
    where r.is_latest_version
)

select
    lineage_id,
    report_year,
    indicator_code,
    scope,
    value,
    unit,
    qualifier,
    report_id,
    measure_ordinal,
    jurisdiction_id,
    metric_id,
    evidence,
    reports_stating
from candidates
where pick = 1
