-- 每份报告恰有一个读取正文的来源文件. Every report was read from exactly one file; the others
-- that carry it are alternates. Rows returned are failures.
select r.report_id, count(s.source_id) filter (where s.is_primary) as primary_sources
from {{ ref('stg_reports') }} r
left join {{ ref('stg_report_sources') }} s using (report_id)
group by r.report_id
having count(s.source_id) filter (where s.is_primary) <> 1
