-- build_info's grain: exactly one row (the build).
select count(*) as n from {{ ref('build_info') }} having count(*) <> 1
