-- One area-wide value per report x indicator x scope after corrections: the extracted values
-- (per_report, kept incrementally) where no correction touches the report x indicator x scope,
-- and the corrected values where one does. A view: corrections are few, and the one model that
-- reads all of it (int_lineage_year_values) is a table.
{{ config(materialized='view') }}
select {{ report_value_columns() }}, null::bigint as correction_id
from {{ ref('int_report_indicator_values') }} v
where not exists (
    select 1 from {{ ref('int_correction_matches') }} c
    where c.report_id = v.report_id and c.indicator_code = v.indicator_code and c.scope = v.scope)
union all
select {{ report_value_columns() }}, correction_id
from {{ ref('int_corrected_figures') }}
where is_report_value
