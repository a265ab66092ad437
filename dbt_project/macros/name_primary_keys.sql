{#- dbt creates a contracted table as `<model>__dbt_tmp` and renames it, so PostgreSQL's own name for an unnamed
    primary key stays `<model>__dbt_tmp_pkey`. A fixed name in the contract cannot work instead: the new table's
    constraint would collide with the old table's while dbt swaps them. So, once every model is built (an
    on-run-end hook of dbt_project.yml), each primary key in the schemas BI and BKPSDM staff read is renamed
    `<table>_pkey`. -#}

{% macro name_primary_keys() %}
    {%- if execute and flags.WHICH in ('build', 'run') -%}
        do $name_primary_keys$
        declare
            key record;
        begin
            for key in
                select namespace.nspname as schema_name, relation.relname as table_name, pk.conname
                from pg_constraint as pk
                inner join pg_class as relation on pk.conrelid = relation.oid
                inner join pg_namespace as namespace on relation.relnamespace = namespace.oid
                where
                    pk.contype = 'p'
                    and namespace.nspname in ('marts_build', 'identity')
                    and pk.conname <> relation.relname || '_pkey'
                    and not exists (
                        select from pg_class as taken
                        where taken.relnamespace = namespace.oid and taken.relname = relation.relname || '_pkey'
                    )
            loop
                execute format(
                    'alter table %I.%I rename constraint %I to %I',
                    key.schema_name, key.table_name, key.conname, key.table_name || '_pkey'
                );
            end loop;
        end
        $name_primary_keys$
    {%- endif -%}
{% endmacro %}
