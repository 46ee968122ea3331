{{ config(alias='报告时效') }}
-- marts.report_coverage under Chinese column names.
select
    {{ zh_place_columns() }}
    issuer as "发布机关",
    title as "标题",
    {{ kind_zh('kind') }} as "文件类型",
    published_on as "发布日期",
    legal_deadline as "法定期限",
    deadline_status_zh as "时效",
    days_after_deadline as "逾期天数",
    indicators_stated as "陈述指标数",
    core_indicators_stated as "陈述核心指标数",
    report_id as "报告编号",
    lineage_id as "沿革编号"
from {{ ref('report_coverage') }}
