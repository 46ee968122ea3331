{{ config(indexes=[{'columns': ['indicator_code'], 'unique': true}]) }}
select * from {{ ref('stg_indicators') }}
