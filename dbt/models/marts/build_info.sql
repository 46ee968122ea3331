-- One row: when these marts were built, with which confidence threshold, and which corrections
-- they applied. fazhi web reads it to tell reviewers when corrections were made since (a
-- different count, newest id or number of revocations than core.correction has now) and to show
-- the threshold the marts were built with (one place: the dbt var min_confidence).
select
    now() as built_at,
    {{ min_confidence() }}::double precision as min_confidence,
    (select count(*) from {{ source('core', 'correction') }})::bigint as corrections,
    (select max(correction_id) from {{ source('core', 'correction') }})::bigint as last_correction_id,
    (select count(revoked_at) from {{ source('core', 'correction') }})::bigint as revocations
