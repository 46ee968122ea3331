{{ config(alias='调解成功率') }}
{{ zh_comparison('cmp_mediation_success_rate', '调解成功率', '调解成功数', '调解纠纷数') }}
