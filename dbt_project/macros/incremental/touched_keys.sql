{#- Incremental models keyed on something other than the load batch (the employee-year models: one row per
    employee and year, each read from many sources) recompute every row of the keys the new load batches touch:
    their pre-hook replace_touched() takes those keys into the temporary table `touched_keys` and deletes their
    rows, the model's query (filtered by is_touched()) computes them again, and dbt appends them. A full build
    computes everything. A model whose year reads only the training of that year and earlier ones narrows the
    keys of training to the years it can change (touched_employees(by_year=true)). -#}

{% macro touched_keys(key_expression_by_model, from_year_by_model=none) %}
    {#- A query of the keys (column touched_key) of the rows of the load batches this relation has not read
        yet, in every incremental staging model upstream of it. `key_expression_by_model` maps each such
        model's name to the SQL of its key over the row `new_rows` (set-returning is fine), or to none when its
        rows touch no key. An upstream staging model without an entry is a compile error, so that a new source
        cannot go unnoticed. With `from_year_by_model`, a second column, touched_from_year: the first year of
        the key's rows that the new row can change, by the SQL that model's entry gives (over `new_rows`), else
        null (every year). -#}
    {%- set from_year_column = '' if from_year_by_model is none else ', null::integer as touched_from_year' -%}
    {%- set no_key = 'select null as touched_key' ~ from_year_column ~ ' where false' -%}
    {%- if not execute -%}
        {{ return(no_key) }}
    {%- endif -%}
    {%- set queries = [] -%}
    {%- for staged in staging_upstream(model.unique_id) | sort(attribute='name') -%}
        {%- if staged.name not in key_expression_by_model -%}
            {{ exceptions.raise_compiler_error(model.name ~ ": touched_keys() has no key for " ~ staged.name) }}
        {%- endif -%}
        {%- if key_expression_by_model[staged.name] is not none -%}
            {%- set staged_from_year_column = (
                ', (' ~ from_year_by_model[staged.name] ~ ')::integer as touched_from_year'
                if from_year_by_model is not none and staged.name in from_year_by_model else from_year_column
            ) -%}
            {%- do queries.append(
                'select ' ~ key_expression_by_model[staged.name] ~ ' as touched_key' ~ staged_from_year_column
                ~ ' from ' ~ relation_of(staged) ~ ' as new_rows where ' ~ new_batches('new_rows.batch_id')
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(queries | join('\nunion\n') if queries else no_key) }}
{% endmacro %}

{% macro touched_employees(held_where_by_model={}, also=none, by_year=false) %}
    {#- touched_keys() of the employee key: the employees with a row in a new batch of any upstream source,
        every employee when a new SIASN export opens a later year (it closes the years before it for everyone:
        int_employee_years.is_complete_year), those of the query `also` (column employee_key), and, when a
        staging model of `held_where_by_model` has new rows, the employees of this relation's rows matching its
        condition (a source that keys its rows without the NIP, a decree or an innovation, whose re-delivery
        can move a row away from an employee).
        `by_year`, for a model whose rows of a year read the training of that year and earlier ones only: with
        each employee the first year their new training can change (touched_from_year), the year of the report's
        start date. A new report changes its own year and the reports of its employee sharing a day with it (it
        may make them duplicates or stop being one), and a re-delivered one replaces its earlier version, which
        has the same start date (participation_natural_key): every one of them ends on or after that date. Every
        other source touches every year (null). -#}
    {%- set every_year = ', null::integer' if by_year else '' -%}
    {%- set query = touched_keys({
        'stg_assessment__kompetensi': employee_key('new_rows.employee_nip'),
        'stg_discipline__hukuman': employee_key('new_rows.employee_nip'),
        'stg_ekinerja__organisation_predikat': none,
        'stg_ekinerja__skp': employee_key('new_rows.employee_nip'),
        'stg_forum__masukan': none,
        'stg_forum__sesi': none,
        'stg_inovasi__register': employee_key(
            "btrim(split_part(regexp_split_to_table(new_rows.team_list, ';'), ':', 1))"
        ),
        'stg_lapor__complaints': none,
        'stg_siasn__pegawai': employee_key('new_rows.employee_nip'),
        'stg_skm__responses': none,
        'stg_training__participation': employee_key('new_rows.employee_nip'),
        'stg_university__programme': employee_key('new_rows.employee_nip'),
    }, from_year_by_model=(
        {'stg_training__participation': 'extract(year from new_rows.start_date)'} if by_year else none
    )) -%}
    {%- set siasn = (staging_upstream(model.unique_id) if execute else [])
        | selectattr('name', 'equalto', 'stg_siasn__pegawai') | first -%}
    {{ query }}
    {%- if siasn %}
        union
        select employee_key{{ every_year }} from {{ ref('int_employee_years') }}
        where
            -- first, so that a run without a new export does not read the held ones (a one-time filter stops
            -- at the first false condition)
            exists (select from {{ relation_of(siasn) }} as exported where {{ new_batches('exported.batch_id') }})
            and (
                select extract(year from max(exported.snapshot_date)) from {{ relation_of(siasn) }} as exported
                where {{ new_batches('exported.batch_id') }}
            ) > (
                select extract(year from max(exported.snapshot_date)) from {{ relation_of(siasn) }} as exported
                where not ({{ new_batches('exported.batch_id') }})
            )
    {%- endif %}
    {%- for staged in (staging_upstream(model.unique_id) if execute else []) if staged.name in held_where_by_model %}
        union
        select employee_key{{ every_year }} from {{ this }}
        where
            ({{ held_where_by_model[staged.name] }})
            and exists (select from {{ relation_of(staged) }} as new_rows where {{ new_batches('new_rows.batch_id') }})
    {%- endfor %}
    {%- if also %}
        union
        select also_touched.employee_key{{ every_year }} from ({{ also }}) as also_touched
    {%- endif %}
{% endmacro %}

{% macro replace_touched(key_column, touched_query, year_column=none) %}
    {#- Pre-hook: in an incremental run, takes the keys of `touched_query` (column touched_key) into the
        temporary table touched_keys, until the model's transaction ends, and deletes this relation's rows of
        those keys (all of them: a key may have fewer rows now). It runs before the model's query, which reads
        the table through is_touched(). With `year_column`, the query's second column touched_from_year (null:
        every year) narrows each key to its rows of that year and later ones, one row per key. -#}
    {%- if execute and is_incremental() -%}
        {#- Random reads priced as on the SSDs and in the cache the warehouse's tables are read from (PostgreSQL's
            default, 4, is a spinning disk's), until the model's transaction ends: the planner then reads the
            rows of a few touched keys through the key's index rather than scanning the whole relation, and still
            scans when most keys are touched. -#}
        set local random_page_cost = 1.1;
        create temporary table touched_keys on commit drop as
        {% if year_column -%}
            select
                touched.touched_key,
                case when bool_and(touched.touched_from_year is not null) then min(touched.touched_from_year) end
                    as touched_from_year
            from ({{ touched_query }}) as touched (touched_key, touched_from_year)
            where touched.touched_key is not null
            group by touched.touched_key;
        {%- else -%}
            select distinct touched.touched_key from ({{ touched_query }}) as touched (touched_key)
            where touched.touched_key is not null;
        {%- endif %}
        analyze touched_keys;
        delete from {{ this }} where {{ is_touched(key_column, year_column) }}
    {%- endif -%}
{% endmacro %}

{% macro is_touched(key_expression, year_expression=none) %}
    {#- In an incremental run of a model with the pre-hook replace_touched(): true for the keys it took, and,
        with `year_expression`, for their years it took (replace_touched's year_column). -#}
    {%- if not is_incremental() -%}
        true
    {%- elif year_expression -%}
        exists (
            select from touched_keys
            where
                touched_keys.touched_key = {{ key_expression }}
                and (touched_keys.touched_from_year is null or {{ year_expression }} >= touched_keys.touched_from_year)
        )
    {%- else -%}
        {{ key_expression }} in (select touched_keys.touched_key from touched_keys)
    {%- endif -%}
{% endmacro %}

{% macro staging_upstream(unique_id, visited=none) %}
    {#- The incremental staging models upstream of node `unique_id`, through every model and snapshot between. -#}
    {%- set visited = [] if visited is none else visited -%}
    {%- set found = [] -%}
    {%- for parent_id in graph.nodes[unique_id].depends_on.nodes if parent_id in graph.nodes and parent_id not in visited -%}
        {%- do visited.append(parent_id) -%}
        {%- set parent = graph.nodes[parent_id] -%}
        {%- if parent.resource_type == 'model' and parent.config.materialized == 'incremental' and parent.fqn[1] == 'staging' -%}
            {%- do found.append(parent) -%}
        {%- elif parent.resource_type in ('model', 'snapshot') -%}
            {%- do found.extend(staging_upstream(parent_id, visited)) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found) }}
{% endmacro %}

{% macro relation_of(node) -%}
    {{ return(api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias)) }}
{%- endmacro %}

{% macro participants_of_changed_programmes() %}
    {#- The employees (column employee_key) of every participation in a training programme whose attributes a
        new row may have changed (dim_training_program takes them from the programme's latest row): a
        programme of a new row that has another version (int_training_program_versions) with another code or
        type. -#}
    {%- if not execute -%}
        {{ return('select null as employee_key where false') }}
    {%- endif -%}
    {%- set participations = relation_of(
        staging_upstream(model.unique_id) | selectattr('name', 'equalto', 'stg_training__participation') | first
    ) -%}
    select {{ employee_key('participant.employee_nip') }} as employee_key
    from {{ participations }} as participant
    where (participant.vendor_code, participant.program_identifier) in (
        select new_rows.vendor_code, new_rows.program_identifier
        from (
            select distinct vendor_code, program_identifier, program_code, program_type
            from {{ participations }} as new_rows
            where {{ new_batches('new_rows.batch_id') }}
        ) as new_rows
        where exists (
            select from {{ ref('int_training_program_versions') }} as other
            where
                other.vendor_code = new_rows.vendor_code
                and other.program_identifier = new_rows.program_identifier
                and (coalesce(other.program_code, ''), coalesce(other.program_type, ''))
                <> (coalesce(new_rows.program_code, ''), coalesce(new_rows.program_type, ''))
        )
    )
{% endmacro %}
