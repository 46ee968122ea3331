{#
  Figures about places a document lists (a provincial statistics page with a row per city,
  core.metric.place_*): never the total of the report's own area, they fill the listed place's
  own rows of the panel (int_place_figures, int_place_values).
#}
{# A figure about a place the document lists (a row per city) is that place's, never the total of
   the report's own area: it fills the place's rows (int_place_values). #}
{% macro is_own_figure(alias='m') -%}
    ({{ alias }}.place_code is null and {{ alias }}.place_name is null)
{%- endmacro %}

{% macro is_place_figure(alias='m') -%}
    ({{ alias }}.place_code is not null or {{ alias }}.place_name is not null)
{%- endmacro %}

{# A division row in force in a year; townships have no validity (the spine holds only those
   reports named). A year unknown takes the rows in force now. #}
{% macro valid_in(alias, year) -%}
    (coalesce({{ alias }}.valid_from, 0) <= coalesce({{ year }}, 9999)
     and coalesce({{ alias }}.valid_to, 9999) >= coalesce({{ year }}, 9999))
{%- endmacro %}
