-- One area-wide value per report x indicator x scope, as extracted: the first-ranked statement
-- (see the macro area_statements for the rule). Breakdowns and implausible figures are left out
-- here, and so from everything downstream (comparisons, panel, audit). Corrections are applied
-- on top of these rows by int_report_values, so this table stays what the parser read.
-- Incremental (per_report): a report's values depend only on its own figures and the catalogue.
{{ config(indexes=[{'columns': ['report_id', 'indicator_code', 'scope'], 'unique': true},
                  {'columns': ['metric_id'], 'unique': true}]) }}
with ranked as (
    {{ area_statements(ref('stg_metrics'), reports_to_add('m.report_id')) }}
)

select {{ report_value_columns() }}
from ranked
where statement_rank = 1
