{#- Five-year band label of a whole number of years, sortable as text: 3 -> '00-04', 27 -> '25-29'. -#}
{% macro five_year_band(years) -%}
    lpad(({{ years }} / 5 * 5)::text, 2, '0') || '-' || lpad(({{ years }} / 5 * 5 + 4)::text, 2, '0')
{%- endmacro %}
