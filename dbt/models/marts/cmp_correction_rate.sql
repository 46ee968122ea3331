-- 行政复议纠错率: 纠错数 / 审结数 (无审结数时以办理数为基数). Reconsideration correction rate: corrected / concluded (cases handled as the base when only that is stated).
{{ config(indexes=[{'columns': ['province', 'report_year']}, {'columns': ['report_year', 'level']},
                   {'columns': ['lineage_id', 'report_year'], 'unique': true}]) }}
{{ rate_comparison('reconsideration.correction_rate') }}
