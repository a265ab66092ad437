{#- dbt-postgres's create_table_as, but a model with an enforced contract is written by `create table as`, each
    column cast to its contract type, and gets its constraints after its rows, in one `alter table`. dbt creates
    the table with its constraints and then inserts the rows, which took about half again as long (the training
    fact's 7.5 million rows at 600,000 ASN: 6.5-7.3 s against 3.9-5.1 s); PostgreSQL checks the not-null and
    check constraints added together in one scan, and builds the primary key's index from the written rows once
    (inserting every row into an existing index of random pseudonyms took twice as long:
    fct_performance_appraisal at 150,000 ASN, 8.0 s against 5.6 s). A value breaking a constraint fails the
    build either way. A column's check constraint is named as PostgreSQL names it on the table itself,
    `<table>_<column>_check`, not after the `<model>__dbt_tmp` table dbt writes a table model to. -#}
{% macro postgres__create_table_as(temporary, relation, sql) -%}
    {%- set contract_config = config.get('contract') -%}
    {%- if temporary or not contract_config.enforced -%}
        {{ return(dbt.postgres__create_table_as(temporary, relation, sql)) }}
    {%- endif -%}
    {%- set typed_columns = [] -%}
    {%- set primary_key = [] -%}
    {%- set alterations = [] -%}
    {%- for name, column in model['columns'].items() -%}
        {%- set quoted = adapter.quote(name) if column.get('quote') else name -%}
        {%- do typed_columns.append('cast(' ~ quoted ~ ' as ' ~ column['data_type'] ~ ') as ' ~ quoted) -%}
        {%- for constraint in column['constraints'] -%}
            {%- if constraint['type'] == 'not_null' -%}
                {%- do alterations.append('alter column ' ~ quoted ~ ' set not null') -%}
            {%- elif constraint['type'] == 'primary_key' -%}
                {%- do primary_key.append(quoted) -%}
            {%- elif constraint['type'] in ('check', 'unique') -%}
                {%- set table_check_name = this.identifier ~ '_' ~ name ~ '_check' -%}
                {%- set as_table_constraint = {
                    'type': constraint['type'],
                    'name': constraint.get('name') or (table_check_name if constraint['type'] == 'check' else none),
                    'expression': constraint.get('expression'),
                    'columns': [quoted],
                } -%}
                {%- do alterations.append(
                    'add ' ~ adapter.render_raw_model_constraints(raw_constraints=[as_table_constraint])[0]
                ) -%}
            {%- else -%}
                {{ exceptions.raise_compiler_error(
                    model['name'] ~ "." ~ name ~ ": a " ~ constraint['type']
                    ~ " constraint is not written by macros/create_table_as.sql"
                ) }}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for constraint in model['constraints'] -%}
        {%- if constraint['type'] == 'primary_key' -%}
            {%- do primary_key.extend(constraint['columns']) -%}
        {%- elif constraint['type'] in ('check', 'unique') -%}
            {%- do alterations.append(
                'add ' ~ adapter.render_raw_model_constraints(raw_constraints=[constraint])[0]
            ) -%}
        {%- else -%}
            {{ exceptions.raise_compiler_error(
                model['name'] ~ ": a " ~ constraint['type'] ~ " constraint is not written by macros/create_table_as.sql"
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {%- if primary_key -%}
        {%- do alterations.append('add primary key (' ~ primary_key | join(', ') ~ ')') -%}
    {%- endif -%}
    {{ config.get('sql_header') or '' }}
    {{ get_assert_columns_equivalent(sql) }}
    create {% if config.get('unlogged', default=false) %}unlogged {% endif %}table {{ relation }} as
    select
        {{ typed_columns | join(',\n        ') }}
    from (
        {{ sql }}
    ) as model_subq;
    {%- if alterations %}
    alter table {{ relation }}
        {{ alterations | join(',\n        ') }};
    {%- endif %}
{%- endmacro %}
