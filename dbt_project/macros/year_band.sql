{#- Band label of a whole number of years, sortable as text: year_band(27, 10) -> '20-29'. -#}
{% macro year_band(years, width) -%}
    lpad(({{ years }} / {{ width }} * {{ width }})::text, 2, '0') || '-'
    || lpad(({{ years }} / {{ width }} * {{ width }} + {{ width }} - 1)::text, 2, '0')
{%- endmacro %}
