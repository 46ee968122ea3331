{#- Whether a stored value is a figure the marts can read: 0 <= value < 10^15, at most 6 decimal
    places. The same rule as ingest.text.figure_problem, which keeps any other value out of core at
    ingest and in `fazhi correct` / `corrections import`; this keeps rows stored before that rule
    (a 309-digit number fails every cast to double precision) out of every view. -#}
{% macro is_storable_figure(column) -%}
    ({{ column }} >= 0 and {{ column }} < 1000000000000000 and {{ column }} = round({{ column }}, 6))
{%- endmacro %}
