-- 行政机关负责人出庭应诉率: 出庭数 / 开庭审理数 (无开庭数时以行政应诉案件数为基数). Head-of-agency court appearance rate: appearances / cases heard (litigation cases as the base when hearings are not stated).
{{ config(indexes=[{'columns': ['province', 'report_year']}, {'columns': ['report_year', 'level']},
                   {'columns': ['lineage_id', 'report_year'], 'unique': true}]) }}
{{ rate_comparison('litigation.head_appearance_rate') }}
