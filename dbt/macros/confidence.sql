{#
  Which figures the extractor is confident enough of to compare.
  Confidence (core.metric.confidence, 0..1) is compared with var('min_confidence') (default in
  dbt_project.yml). Null is unknown and passes: rows loaded before the extractor scored figures,
  and mechanisms it has not calibrated, were compared before and are not dropped for that.
#}

{# The threshold, checked: a mistyped --vars must fail the build, not compare every figure. #}
{% macro min_confidence() -%}
    {%- set t = var('min_confidence') -%}
    {%- if t is not number or t < 0 or t > 1 -%}
        {{ exceptions.raise_compiler_error("var min_confidence must be a number from 0 to 1, got " ~ t) }}
    {%- endif -%}
    {{ t }}
{%- endmacro %}

{% macro is_confident(alias='m') -%}
    ({{ alias }}.confidence is null or {{ alias }}.confidence >= {{ min_confidence() }})
{%- endmacro %}
