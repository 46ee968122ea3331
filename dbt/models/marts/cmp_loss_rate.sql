-- 行政诉讼败诉率: 败诉数 / 审结数 (无审结数时以应诉案件数为基数). Litigation loss rate: cases lost / cases concluded (litigation cases as the base when concluded is not stated).
{{ config(indexes=[{'columns': ['province', 'report_year']}, {'columns': ['report_year', 'level']},
                   {'columns': ['lineage_id', 'report_year'], 'unique': true}]) }}
{{ rate_comparison('litigation.loss_rate') }}
