-- Per report, scope and rate: the stated rate, the counts the report gives for it and the rate
-- they give, for the audit of stated rates. Every report and scope with an area-wide figure has
-- its four rows (null where nothing is stated), so a report is checked once.
-- Incremental (per_report): a report's check depends only on its own values (as extracted;
-- int_rate_checks checks corrected reports again on their corrected values).
{{ config(indexes=[{'columns': ['report_id', 'scope', 'indicator_code'], 'unique': true}]) }}
{{ rate_checks(ref('int_report_indicator_values'), reports_to_add()) }}
