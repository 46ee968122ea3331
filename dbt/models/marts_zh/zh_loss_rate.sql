{{ config(alias='败诉率') }}
{{ zh_comparison('cmp_loss_rate', '败诉率', '败诉数', '审结数') }}
