{#- The database enforces the model's primary key: fails for each of `columns` that is not the primary key's
    column at its position, and for each column of the relation's primary key that `columns` does not name
    (no primary key at all: a row per column). PostgreSQL then refuses a duplicate or an empty key value on
    every write, so a data test counting the rows of each key (a full-table sort or hash) would repeat it. -#}
{% test primary_key_is_enforced(model, columns) %}

with declared as (

    select
        declared.column_name,
        declared.key_position
    from unnest(array[{{ "'" ~ columns | join("', '") ~ "'" }}]::text[])
        with ordinality as declared (column_name, key_position)

),

enforced as (

    select
        pg_attribute.attname::text as column_name,
        key.key_position
    from pg_index
    inner join pg_class on pg_index.indrelid = pg_class.oid
    inner join pg_namespace on pg_class.relnamespace = pg_namespace.oid
    cross join unnest(pg_index.indkey::smallint[]) with ordinality as key (attnum, key_position)
    inner join pg_attribute
        on pg_index.indrelid = pg_attribute.attrelid and key.attnum = pg_attribute.attnum
    where
        pg_index.indisprimary
        and pg_namespace.nspname = '{{ model.schema }}'
        and pg_class.relname = '{{ model.identifier }}'

)

select
    coalesce(declared.column_name, enforced.column_name) as column_name,
    declared.key_position as declared_position,
    enforced.key_position as enforced_position
from declared
full outer join enforced
    on
        declared.column_name = enforced.column_name
        and declared.key_position = enforced.key_position
where declared.column_name is null or enforced.column_name is null

{% endtest %}
