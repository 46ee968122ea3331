-- Corrections applied to figures. One row per extracted figure of a corrected report x indicator x
-- scope (breakdowns included: a false figure can be one), plus one row per figure a correction
-- adds. Per report x indicator x scope, the correction that decides the value is the latest in
-- force of: set (the value is V), confirm (a set that keeps the extracted value V: a reviewer
-- checked it against its evidence), add (a missed figure V, with its evidence) and delete with no
-- value (the report states no such figure). A confirm is applied exactly as a set is. A delete with a value removes the extracted figures
-- of that value. What is left is ranked as int_report_indicator_values ranks (area_statements):
--   set: the figure stating V (a confirmation) if any, else the first-ranked, takes the value V
--        (a row of its own when nothing is left);
--   add: a row of its own is the report's value; extracted figures stay, not chosen;
--   otherwise the first-ranked figure left is the report's value.
-- value is after corrections (null when deleted), extracted_value as the parser read it.
-- Confidence: a set (a confirmation is a set that keeps the value) is a researcher's word on the
-- report's value, so it lands on a figure whatever its confidence: the one stating V, else one
-- at or above the threshold, else the first-ranked below it. Otherwise the threshold holds as it
-- does uncorrected (deleting one false figure does not vouch for the others). A listed place's
-- figures are not the report's own and are never corrected here (corrections name a report).
{{ config(indexes=[{'columns': ['metric_id']}, {'columns': ['report_id', 'indicator_code', 'scope']}]) }}
with matches as (
    select * from {{ ref('int_correction_matches') }}
),

decisive as (
    select distinct on (report_id, indicator_code, scope) *
    from matches
    where correction_action in ('set', 'confirm', 'add') or (correction_action = 'delete' and value is null)
    order by report_id, indicator_code, scope, corrected_at desc, correction_id desc
),

value_deletes as (
    select distinct on (report_id, indicator_code, scope, value) report_id, indicator_code, scope, value, correction_id
    from matches
    where correction_action = 'delete' and value is not null
    order by report_id, indicator_code, scope, value, corrected_at desc, correction_id desc
),

targets as (
    select distinct report_id, indicator_code, scope from matches
),

figures as (
    select
        m.*,
        case when d.correction_action = 'delete' then d.correction_id else vd.correction_id end as deleted_by,
        coalesce(d.correction_action in ('set', 'confirm'), false) as is_set,
        case when d.correction_action in ('set', 'confirm') then d.value end as set_value
    from {{ ref('stg_metrics') }} m
    join targets t using (report_id, indicator_code, scope)
    left join decisive d using (report_id, indicator_code, scope)
    left join value_deletes vd
        on vd.report_id = m.report_id and vd.indicator_code = m.indicator_code and vd.scope = m.scope
       and vd.value = m.value
    where {{ is_own_figure('m') }}
),

chosen as (
    select metric_id, statements
    from ({{ area_statements('figures', "m.deleted_by is null and (m.is_set or " ~ is_confident('m') ~ ")",
                             confident_only=false, rank_first=['m.value = m.set_value', is_confident('m')]) }}) ranked
    where statement_rank = 1
),

extracted as (
    select
        f.metric_id,
        f.report_id,
        f.indicator_code,
        f.scope,
        f.measure_ordinal,
        f.value as extracted_value,
        case when f.deleted_by is not null then null
             when c.metric_id is not null and d.correction_action in ('set', 'confirm') then d.value
             else f.value end as value,
        f.unit,
        f.qualifier,
        f.evidence,
        f.start_offset,
        f.end_offset,
        coalesce(c.statements, 1) as statements,
        f.deleted_by is not null as is_deleted,
        c.metric_id is not null and coalesce(d.correction_action, 'set') in ('set', 'confirm') as is_report_value,
        coalesce(f.deleted_by, case when c.metric_id is not null and d.correction_action in ('set', 'confirm')
                                    then d.correction_id end) as correction_id
    from figures f
    left join chosen c using (metric_id)
    left join decisive d using (report_id, indicator_code, scope)
),

added as (
    -- An added figure, or a set value with no extracted figure left to carry it. Its evidence is
    -- located in the report's text when the text has it (a later version may word it otherwise),
    -- and its passage is the innermost measure around it.
    select
        null::bigint as metric_id,
        d.report_id,
        d.indicator_code,
        d.scope,
        ms.measure_ordinal,
        null::numeric as extracted_value,
        d.value,
        d.unit,
        null::varchar as qualifier,
        d.evidence,
        loc.start_offset,
        loc.start_offset + char_length(d.evidence) as end_offset,
        1::bigint as statements,
        false as is_deleted,
        true as is_report_value,
        d.correction_id
    from decisive d
    left join {{ ref('stg_report_texts') }} t using (report_id)
    cross join lateral (
        select nullif(strpos(t.report_text, d.evidence), 0) - 1 as start_offset
    ) loc
    left join lateral (
        select s.measure_ordinal
        from {{ ref('stg_measures') }} s
        where s.report_id = d.report_id and s.start_offset <= loc.start_offset
          and s.end_offset >= loc.start_offset + char_length(d.evidence)
        order by s.depth desc, s.measure_ordinal desc
        limit 1
    ) ms on true
    where d.correction_action = 'add'
       or (d.correction_action in ('set', 'confirm') and not exists (
            select 1 from chosen c join figures f using (metric_id)
            where f.report_id = d.report_id and f.indicator_code = d.indicator_code and f.scope = d.scope))
)

select
    x.*,
    c.correction_action,
    c.corrected_by,
    c.corrected_at,
    c.correction_reason
from (select * from extracted union all select * from added) x
left join {{ ref('stg_corrections') }} c using (correction_id)
