select
    m.metric_id,
    m.report_id,
    r.lineage_id,
    r.jurisdiction_id,
    j.full_name as jurisdiction_name,
    r.report_year,
    m.indicator_code,
    i.name_zh as indicator_name_zh,
    m.value,
    m.unit,
    m.qualifier,
    m.scope,
    m.evidence,
    m.start_offset,
    m.end_offset,
    m.measure_ordinal,
    ms.section,
    ms.heading as measure_heading,
    s.title,
    s.issuer,
    s.published_on,
    s.source_path,
    coalesce(r.is_latest_version, false) as is_latest_version,
    (c.metric_id is not null) as is_chosen_value
from {{ ref('stg_metrics') }} m
join {{ ref('stg_reports') }} s using (report_id)
join {{ ref('stg_indicators') }} i using (indicator_code)
left join {{ ref('stg_measures') }} ms using (report_id, measure_ordinal)
left join {{ ref('int_reports_mapped') }} r using (report_id)
left join {{ ref('stg_jurisdictions') }} j on j.jurisdiction_id = s.jurisdiction_id
left join {{ ref('int_lineage_year_values') }} c on c.metric_id = m.metric_id
