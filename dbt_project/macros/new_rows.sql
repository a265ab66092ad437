{#- Data tests on the new rows only. The warehouse DAG's daily runs pass `tests_since_batch`, the
    largest load batch whose rows the last published build had already tested (pembina.quality.scope), in
    the environment variable PEMBINA_TESTS_SINCE_BATCH (a new --vars value each day would make dbt re-parse
    the whole project) or as the var `tests_since_batch`; without it (CI, `make test`, the weekly
    whole-table run, the CLI) every test reads its whole table.

    A test opts in with its `where` config (dbt_project.yml sets it for everything under staging/):
    - `new_rows(batch_id)`: the rows of batches after `tests_since_batch`; a timestamp column instead
      (`new_rows(loaded_at)`) keeps the rows loaded since the first of those batches started, a superset.
    - `same_key_as_new_rows(batch_id; col_a, col_b)`: for a uniqueness test, every row, old or new, whose
      key a new row has, so a new row that repeats an old row's key still fails. (Rows with an empty key
      part are left out: `in` never matches a null; the not_null tests catch those.)
    dbt renders a `where` config without the project's macros, hence the words, read here when the test
    runs (dbt's documented way: overriding get_where_subquery).

    In the daily runs, a test whose relations have not changed since a published build tested them reads no
    row at all (relations_tested_as_they_are), whatever its `where`. -#}

{% macro tests_since_batch() %}
    {#- The batch id the daily data tests start after, none for whole tables. Read only when dbt executes, so
        that the environment variable is not one the parsed project depends on. -#}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set since_batch = var('tests_since_batch', none) -%}
    {%- if since_batch is none or since_batch | string | trim == '' -%}
        {%- set since_batch = env_var('PEMBINA_TESTS_SINCE_BATCH', '') -%}
    {%- endif -%}
    {{ return(none if since_batch | string | trim == '' else since_batch | int) }}
{% endmacro %}

{% macro new_rows_condition(column) %}
    {%- set since_batch = tests_since_batch() -%}
    {%- if since_batch is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if column.endswith('batch_id') -%}
        {{ return(column ~ ' > ' ~ since_batch) }}
    {%- endif -%}
    {#- The start as a literal, not a subquery: the planner then sees how few rows are new (the load-time index
        gives the column's actual maximum) and reads them through the index, where it would plan a scan of a
        third of the table for a comparison with an unknown value. -#}
    {%- set started_at = run_query(
        "select coalesce(min(new_batch.started_at), 'infinity'::timestamptz)::text"
        ~ " from audit.load_batches as new_batch where new_batch.batch_id > " ~ since_batch
    ).columns[0].values()[0] -%}
    {{ return(column ~ " >= '" ~ started_at ~ "'::timestamptz") }}
{% endmacro %}

{% macro relations_tested_as_they_are() %}
    {#- True when every relation this test reads is a table, incremental model or seed whose rows have not
        changed since the last published build tested them: changed before that build started, or by that
        build itself (audit.relation_changes, macros/incremental/relation_changes.sql). Only in the daily runs
        (`tests_since_batch`); a relation with no record, a view or a source is read. -#}
    {%- if not execute or new_rows_condition('batch_id') is none -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set inputs = tracked_inputs(model.unique_id) -%}
    {%- set relations = inputs.tracked | unique(attribute='relation') | list -%}
    {%- if inputs.untracked or inputs.views or not relations -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set query -%}
        with published_build as (
            select build.invocation_id, build.started_at
            from audit.publications as publication
            inner join audit.dbt_builds as build on build.build_id = publication.build_id
            order by publication.publication_id desc
            limit 1
        )
        select count(*) = {{ relations | length }}
        from (values {% for relation in relations -%}
            ('{{ relation.name }}', '{{ relation.relation }}'){{ ',' if not loop.last }}
        {%- endfor %}) as tested (model, relation_name)
        inner join audit.relation_changes as change
            on change.model = tested.model and change.relation_oid = to_regclass(tested.relation_name)::oid
        cross join published_build
        where change.changed_at < published_build.started_at or change.invocation_id = published_build.invocation_id
    {%- endset -%}
    {{ return(run_query(query).columns[0].values()[0]) }}
{% endmacro %}

{% macro get_where_subquery(relation) -%}
    {%- if model.test_metadata and model.test_metadata.name == 'primary_key_is_enforced' -%}
        {#- reads the catalog, not the rows: it needs the relation itself -#}
        {{ return(relation) }}
    {%- endif -%}
    {%- if relations_tested_as_they_are() -%}
        {{ return('(select * from ' ~ relation ~ ' where false) dbt_subquery') }}
    {%- endif -%}
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
