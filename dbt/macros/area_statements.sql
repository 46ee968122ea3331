{#
  The area-wide statements of each report x indicator x scope, ranked: statement_rank 1 is the
  report's value. Breakdown figures (涉企, 医疗纠纷, one town, one department...) cover a subset
  of the area and are never the total; figures outside the indicator's plausible range (flagged by
  the parser, or outside the catalogue's range as it stands now) are never compared.
  Stated more than once: counts and amounts take the largest statement (repeated counts are
  sub-figures of the area total: one programme, one group of mediators, one month), rates the
  first (the headline comes before its breakdowns).
  Only the report's own figures: a place or body the document lists (a row per city) is never
  its total (see int_place_values). Figures below the confidence threshold (macro is_confident)
  are left out, unless confident_only=false (int_corrected_figures: a researcher's word on the
  value makes its confidence moot; its `where` says which figures still need the threshold).
  relation: the figures (stg_metrics, or a CTE of its columns); where: which of them to read;
  rank_first: boolean expressions ranked before the rule (true first), in order.
  Shared by per_report.int_report_indicator_values and int_corrected_figures, so a corrected
  report is ranked by the same rule.
#}
{# The columns of a report's value per indicator and scope, in the order the models that
   union them need (int_report_indicator_values, int_report_values). #}
{% macro report_value_columns() -%}
    metric_id, report_id, measure_ordinal, indicator_code, scope, value, unit, qualifier, evidence, start_offset,
    end_offset, statements
{%- endmacro %}

{% macro area_statements(relation, where='true', confident_only=true, rank_first=[]) %}
    select
        m.*,
        row_number() over (
            partition by m.report_id, m.indicator_code, m.scope
            order by {% for e in rank_first %}{{ e }} desc nulls last, {% endfor -%}
                     case when i.kind in ('count', 'amount') then m.value end desc nulls last, m.start_offset
        ) as statement_rank,
        count(*) over (partition by m.report_id, m.indicator_code, m.scope) as statements
    from {{ relation }} m
    join {{ ref('stg_indicators') }} i using (indicator_code)
    where m.breakdown is null
      and {{ is_own_figure('m') }}
      {%- if confident_only %}
      and {{ is_confident('m') }}
      {%- endif %}
      and not m.out_of_range
      and m.value between coalesce(i.min_value, m.value) and coalesce(i.max_value, m.value)
      and {{ where }}
{% endmacro %}
