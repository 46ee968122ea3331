{{ config(alias='出庭应诉率') }}
{{ zh_comparison('cmp_head_appearance_rate', '出庭应诉率', '负责人出庭数', '开庭审理数') }}
