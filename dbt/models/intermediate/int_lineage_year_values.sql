-- One value per jurisdiction lineage x year x indicator x scope: the value the comparison views
-- and the panel use. Only area-wide figures (no breakdown, see int_report_indicator_values) from
-- the latest version of each document, after researchers' corrections (int_report_values). Choice, in this order:
--   1. the kind of document: an annual report first; where no annual report states the figure,
--      another government report, then a statistics page fills the gap. News items and other
--      texts never feed this model (their figures stay in fct_metric).
--   2. the government's own document before a department's;
--   3. the latest published, then the latest loaded.
-- The kind comes first: a department's annual report beats the government's work summary.
{{ config(indexes=[{'columns': ['lineage_id', 'report_year', 'indicator_code', 'scope'], 'unique': true},
                   {'columns': ['metric_id'], 'unique': true},
                   {'columns': ['indicator_code']}]) }}
with candidates as (
    select
        v.*,
        r.lineage_id,
        r.report_year,
        r.jurisdiction_id,
        r.kind as source_kind,
        row_number() over (
            partition by r.lineage_id, r.report_year, v.indicator_code, v.scope
            order by r.kind_rank, (r.issuer_kind = 'government') desc, r.published_on desc nulls last,
                     r.ingested_at desc, r.report_id desc
        ) as pick,
        count(*) over (partition by r.lineage_id, r.report_year, v.indicator_code, v.scope) as reports_stating
    from {{ ref('int_report_values') }} v
    join {{ ref('int_reports_mapped') }} r using (report_id)
    where r.is_latest_version and r.kind_rank is not null
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
    source_kind,
    measure_ordinal,
    jurisdiction_id,
    metric_id,
    evidence,
    reports_stating,
    correction_id
from candidates
where pick = 1
