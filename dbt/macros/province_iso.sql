{#
  The province's ISO 3166-2 code from a GB/T 2260 division code (its first two digits), as
  Superset's China country map names its shapes (and `fazhi plot --map` draws them): the letter
  codes for the 31 provinces, autonomous regions and municipalities (CN-BJ ... CN-XJ), and for
  Taiwan, Hong Kong and Macao the codes ISO 3166-2 used until 2017 (CN-71, CN-91, CN-92), which
  Superset's map still uses (ISO now writes CN-TW, CN-HK, CN-MO). Null without a code.
  The one mapping: tests/bi/test_province_iso.py checks it covers all 34 province-level codes
  of ingest/parse/data/areacodes.csv and every shape of the map.
#}
{% macro province_iso_codes() %}
{{ return({
    '11': 'CN-BJ', '12': 'CN-TJ', '13': 'CN-HE', '14': 'CN-SX', '15': 'CN-NM',
    '21': 'CN-LN', '22': 'CN-JL', '23': 'CN-HL',
    '31': 'CN-SH', '32': 'CN-JS', '33': 'CN-ZJ', '34': 'CN-AH', '35': 'CN-FJ', '36': 'CN-JX', '37': 'CN-SD',
    '41': 'CN-HA', '42': 'CN-HB', '43': 'CN-HN', '44': 'CN-GD', '45': 'CN-GX', '46': 'CN-HI',
    '50': 'CN-CQ', '51': 'CN-SC', '52': 'CN-GZ', '53': 'CN-YN', '54': 'CN-XZ',
    '61': 'CN-SN', '62': 'CN-GS', '63': 'CN-QH', '64': 'CN-NX', '65': 'CN-XJ',
    '71': 'CN-71', '81': 'CN-91', '82': 'CN-92',
}) }}
{% endmacro %}

{% macro province_iso(code_column) -%}
    case left({{ code_column }}, 2)
        {%- for prefix, iso in province_iso_codes().items() %} when '{{ prefix }}' then '{{ iso }}'{% endfor %}
    end
{%- endmacro %}
