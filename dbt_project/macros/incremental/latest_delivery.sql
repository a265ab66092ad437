{% macro later_delivery_held(row, key_columns, order_columns=('loaded_at', 'source_file_id', 'source_row_number')) %}
    {#- In an incremental run of a "latest delivery wins" staging model: true when the table already holds a
        row of the same key that wins over `row` (a batch that finished after a later one is read after it).
        The order columns are those the model ranks by, all descending. -#}
    {%- if is_incremental() -%}
        exists (
            select from {{ this }} as held
            where
                {% for column in key_columns -%}
                    held.{{ column }} = {{ row }}.{{ column }} and
                {% endfor -%}
                ({% for column in order_columns %}held.{{ column }}{{ ', ' if not loop.last }}{% endfor %})
                > ({% for column in order_columns %}{{ row }}.{{ column }}{{ ', ' if not loop.last }}{% endfor %})
        )
    {%- else -%}
        false
    {%- endif -%}
{% endmacro %}
