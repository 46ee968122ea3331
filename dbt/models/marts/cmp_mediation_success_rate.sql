-- 调解成功率: 调解成功数 / 调解纠纷数. Mediation success rate: disputes settled / disputes mediated.
{{ config(indexes=[{'columns': ['province', 'report_year']}, {'columns': ['report_year', 'level']},
                   {'columns': ['lineage_id', 'report_year'], 'unique': true}]) }}
{{ rate_comparison('mediation.success_rate') }}
