-- The corrections behind chosen values (report and correction), few rows: fct_metric, a view,
-- finds whether an added figure is chosen here instead of probing the chosen-value table by a
-- column it has no index on.
{{ config(indexes=[{'columns': ['correction_id', 'report_id'], 'unique': true}]) }}
select distinct correction_id, report_id
from {{ ref('int_lineage_year_values') }}
where correction_id is not null
