-- The stored text of each report, apart from stg_reports: models that copy report rows must not
-- copy texts. Read to locate the evidence of a figure a researcher added (int_corrected_figures).
select report_id, text as report_text
from {{ source('core', 'report') }}
