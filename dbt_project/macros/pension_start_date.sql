{#- Expected pension start (TMT pensiun): the first day of the month after the employee reaches the
    retirement age (BUP), PP 11/2017 art. 239; empty when the age is unknown. -#}
{% macro pension_start_date(birth_date, retirement_age) -%}
    (date_trunc('month', {{ birth_date }} + {{ retirement_age }} * interval '1 year') + interval '1 month')::date
{%- endmacro %}
