{#- Whether a stored value is a figure the marts can read: 0 <= value < 10^15, at most 6 decimal
    places. The same rule as ingest.text.figure_problem, which keeps any other value out of core at
    ingest and in `fazhi correct` / `corrections import`; this keeps rows stored before that rule
    (a 309-digit number fails every cast to double precision) out of every view. -#}
{% macro is_storable_figure(column) -%}
    {#- Written so the planner estimates it as keeping most rows: `value = round(value, 6)` was
        estimated to keep 0.5%, which turned the review queue's joins into nested loops over
        300,000 figures (minutes at 10,000 reports instead of a second). -#}
    not ({{ column }} < 0 or {{ column }} >= 1000000000000000 or scale(trim_scale({{ column }})) > 6)
{%- endmacro %}
