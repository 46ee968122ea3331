{{ config(alias='复议纠错率') }}
{{ zh_comparison('cmp_correction_rate', '复议纠错率', '纠错数', '审结数') }}
