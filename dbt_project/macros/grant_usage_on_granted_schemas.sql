{#- dbt grants privileges on relations only; a grantee also needs USAGE on each schema that holds them.
    Called from on-run-end: one GRANT USAGE per (schema, grantee) of the nodes built with select grants. -#}
{% macro grant_usage_on_granted_schemas(results) %}
    {%- set statements = [] -%}
    {%- if execute -%}
        {%- for result in results
            if result.status == 'success' and result.node.resource_type in ['model', 'seed', 'snapshot'] -%}
            {%- for grantee in result.node.config.grants.get('select', []) -%}
                {%- set statement -%}
                    grant usage on schema {{ adapter.quote(result.node.schema) }} to {{ adapter.quote(grantee) }}
                {%- endset -%}
                {%- if statement not in statements -%}
                    {%- do statements.append(statement) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(statements | join(';\n')) }}
{% endmacro %}
