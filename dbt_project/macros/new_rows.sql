{#- Data tests on the new rows only. The warehouse DAG's daily runs pass the var `tests_since_batch`, the
    largest load batch whose rows the last published build had already tested
    (pembina.quality.scope); without it (CI, `make test`, the weekly whole-table run, the CLI)
    every test reads its whole table.

    A test opts in with its `where` config (dbt_project.yml sets it for everything under staging/):
    - `new_rows(batch_id)`: the rows of batches after `tests_since_batch`; a timestamp column instead
      (`new_rows(loaded_at)`) keeps the rows loaded since the first of those batches started, a superset.
    - `same_key_as_new_rows(batch_id; col_a, col_b)`: for a uniqueness test, every row, old or new, whose
      key a new row has, so a new row that repeats an old row's key still fails. (Rows with an empty key
      part are left out: `in` never matches a null; the not_null tests catch those.)
    dbt renders a `where` config without the project's macros, hence the words, read here when the test
    runs (dbt's documented way: overriding get_where_subquery). -#}

{% macro new_rows_condition(column) %}
    {%- set since_batch = var('tests_since_batch', none) -%}
    {%- if since_batch is none or since_batch | string | trim == '' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set since_batch = since_batch | int -%}
    {%- if column.endswith('batch_id') -%}
        {{ return(column ~ ' > ' ~ since_batch) }}
    {%- else -%}
        {{ return(
            column ~ " >= (select coalesce(min(new_batch.started_at), 'infinity'::timestamptz)"
            ~ " from audit.load_batches as new_batch where new_batch.batch_id > " ~ since_batch ~ ")"
        ) }}
    {%- endif -%}
{% endmacro %}

{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where') -%}
    {%- if not where -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set new_rows = modules.re.fullmatch('\s*new_rows\(\s*(\w+)\s*\)\s*', where) -%}
    {%- set same_key = modules.re.fullmatch('\s*same_key_as_new_rows\(\s*(\w+)\s*;\s*([\w\s,]+)\)\s*', where) -%}
    {%- if new_rows -%}
        {%- set condition = new_rows_condition(new_rows.group(1)) -%}
    {%- elif same_key -%}
        {%- set keys = same_key.group(2).split(',') | map('trim') | join(', ') -%}
        {%- set new_condition = new_rows_condition(same_key.group(1)) -%}
        {%- set condition = none if new_condition is none
            else '(' ~ keys ~ ') in (select ' ~ keys ~ ' from ' ~ relation ~ ' where ' ~ new_condition ~ ')' -%}
    {%- else -%}
        {%- set condition = where -%}
    {%- endif -%}
    {%- if condition is none -%}
        {{ return(relation) }}
    {%- endif -%}
    {{ return('(select * from ' ~ relation ~ ' where ' ~ condition ~ ') dbt_subquery') }}
{%- endmacro %}
