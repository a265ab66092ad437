{#- "Latest delivery wins": a staging model reads the load batches it does not hold yet (new_batches.sql) and
    keeps, per natural key, the row of the delivery that wins (by default the row of the file loaded last). -#}

{% macro delivery_order() %}
    {#- The columns a staging model ranks deliveries by, all descending: the file loaded last, then its last row. -#}
    {{ return(['loaded_at', 'source_file_id', 'source_row_number']) }}
{% endmacro %}

{% macro latest_first(order_columns=none) -%}
    {%- for column in order_columns or delivery_order() %}{{ column }} desc{{ ', ' if not loop.last }}{% endfor -%}
{%- endmacro %}

{% macro new_rows_of(source_relation) -%}
    select * from {{ source_relation }}
    where {{ new_batches('_batch_id') }}
{%- endmacro %}

{% macro latest_delivery(rows, key_columns, order_columns=none) %}
    {#- The rows of CTE `rows` that win for their key, in a staging model keyed (and uniquely indexed) on
        `key_columns`, with an index on `batch_id`. An incremental run also drops a row when the table already
        holds a row of its key that wins over it (a batch that finished after a later one is read after it). -#}
    {%- set order_columns = order_columns or delivery_order() -%}
    {{- config(
        unique_key=key_columns,
        indexes=[{'columns': key_columns, 'unique': true}, {'columns': ['batch_id']}],
    ) -}}
    select * from (
        select distinct on ({{ key_columns | join(', ') }}) *
        from {{ rows }}
        order by {{ key_columns | join(', ') }}, {{ latest_first(order_columns) }}
    ) as latest
    {%- if is_incremental() %}
    where not exists (
        select from {{ this }} as held
        where
            {% for column in key_columns -%}
                held.{{ column }} = latest.{{ column }} and
            {% endfor -%}
            ({% for column in order_columns %}held.{{ column }}{{ ', ' if not loop.last }}{% endfor %})
            > ({% for column in order_columns %}latest.{{ column }}{{ ', ' if not loop.last }}{% endfor %})
    )
    {%- endif %}
{% endmacro %}
