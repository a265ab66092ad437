{#- Fails for each row with an empty value in any of the columns, naming them: `not_null` on several columns in
    one scan of the table instead of one scan per column. -#}
{% test not_null_columns(model, column_names) %}

select concat_ws(', ', {% for column_name in column_names -%}
    case when {{ column_name }} is null then '{{ column_name }}' end{{ ', ' if not loop.last }}
{%- endfor %}) as empty_columns
from {{ model }}
where {% for column_name in column_names -%}
    {{ column_name }} is null{{ ' or ' if not loop.last }}
{%- endfor %}

{% endtest %}
