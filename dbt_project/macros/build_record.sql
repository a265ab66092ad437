{#- The build record in audit.dbt_builds (table in include/pembina/audit.py), written by the on-run-start and
    on-run-end hooks of dbt_project.yml. Only `dbt build` and `dbt run` invocations that select a mart are
    recorded: they change the build schema that the quality gate validates and publication swaps in. -#}

{% macro mart_models_selected() %}
    {#- (marts selected, every mart selected) -#}
    {%- set marts = [] -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.fqn[1] == 'marts' -%}
        {%- do marts.append(node.unique_id) -%}
    {%- endfor -%}
    {%- set selected = marts | select('in', selected_resources) | list -%}
    {{ return((selected | length > 0, selected | length == marts | length)) }}
{% endmacro %}

{% macro record_build_start() %}
    {%- if execute and flags.WHICH in ('build', 'run') -%}
        {%- set touched, whole = mart_models_selected() -%}
        {%- if touched -%}
            {%- set since_batch = tests_since_batch() -%}
            insert into audit.dbt_builds (invocation_id, command, whole_project, tests_since_batch)
            values ('{{ invocation_id }}', '{{ flags.WHICH }}', {{ whole }},
                {{ 'null' if since_batch is none else since_batch }})
        {%- endif -%}
    {%- endif -%}
{% endmacro %}

{% macro record_build_end(results) %}
    {#- A killed dbt never gets here: its build stays `running`, which publication refuses. -#}
    {%- if execute and flags.WHICH in ('build', 'run') -%}
        {%- set failed = results | selectattr('status', 'in', ['error', 'fail']) | list -%}
        update audit.dbt_builds
        set finished_at = clock_timestamp(), status = '{{ "failed" if failed else "success" }}'
        where invocation_id = '{{ invocation_id }}'
    {%- endif -%}
{% endmacro %}
