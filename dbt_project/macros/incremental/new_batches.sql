{#- Incremental models process the load batches they do not hold yet, not the rows loaded after the latest load
    time in their table. Each dbt invocation takes the batches finished when it starts (audit.dbt_batch_marks,
    on-run-start); each incremental relation records the batches it holds (audit.model_watermarks, its
    post-hook, in the transaction that changes its rows). A model reads a batch once it is finished and held
    by every incremental model upstream; a batch that finishes after a later one, or that an upstream model
    has not processed yet (it failed), stays pending and is read by a later run. Tables in
    include/pembina/audit.py. -#}

{% macro record_batch_marks() %}
    {%- if execute and flags.WHICH in ('build', 'run') and incremental_models_selected() -%}
        -- Waits for the loads opening or closing a batch at this moment (a moment's work each), so that every
        -- batch id below the mark is seen as running or finished.
        lock table audit.load_batches in share mode;
        insert into audit.dbt_batch_marks (invocation_id, high_mark, running_batch_ids)
        select
            '{{ invocation_id }}',
            coalesce(max(batch_id) filter (where status <> 'running'), 0),
            coalesce(array_agg(batch_id order by batch_id) filter (where status = 'running'), '{}')
        from audit.load_batches
    {%- endif -%}
{% endmacro %}

{% macro incremental_models_selected() %}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.config.materialized == 'incremental'
        and node.unique_id in selected_resources -%}
        {{ return(true) }}
    {%- endfor -%}
    {{ return(false) }}
{% endmacro %}

{% macro new_batches(batch_column) %}
    {#- The predicate on `batch_column` of the rows this run reads: the batches this model does not hold yet
        in an incremental run, every row otherwise (a full build; batches still running are read again once
        finished, as every incremental model replaces rows by key). -#}
    {%- if not (execute and is_incremental()) -%}
        {{ return('true') }}
    {%- endif -%}
    {%- set unread = run_query(
        'select coalesce(array_agg(batch_id order by batch_id), \'{}\')::text from (' ~ batches_available() ~ ') as available
         where not (' ~ batches_held('available.batch_id') ~ ')'
    ).columns[0].values()[0] -%}
    {{ return(batch_column ~ " = any('" ~ unread ~ "'::bigint[])" if unread != '{}' else 'false') }}
{% endmacro %}

{% macro record_watermark() %}
    {#- Post-hook of an incremental model: it now holds the batches it held and those it could read; and its
        relation changed if this run wrote rows to it (macros/incremental/relation_changes.sql). -#}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif %}
    insert into audit.model_watermarks
        (model, relation_oid, relation_name, batch_id, pending_batch_ids, invocation_id)
    with

    available as ({{ batches_available() }}),

    held as (

        select
            greatest(
                (select this_model.batch_id from {{ watermark_of(model.name, this) }}),
                (select max(available.batch_id) from available),
                0
            ) as batch_id

    )

    select
        '{{ model.name }}',
        {{ relation_oid(this) }},
        '{{ this.schema }}.{{ this.identifier }}',
        held.batch_id,
        array(
            select batch.batch_id from audit.load_batches as batch
            where
                batch.batch_id <= held.batch_id
                and not ({{ batches_held('batch.batch_id') }})
                and batch.batch_id not in (select available.batch_id from available)
            order by batch.batch_id
        ),
        '{{ invocation_id }}'
    from held
    on conflict (model, relation_oid) do update set
        relation_name = excluded.relation_name,
        batch_id = excluded.batch_id,
        pending_batch_ids = excluded.pending_batch_ids,
        invocation_id = excluded.invocation_id,
        updated_at = clock_timestamp();
    {{ record_incremental_change() }}
{% endmacro %}

{% macro batches_available() %}
    {#- The batches finished when this invocation started and held by every incremental model upstream. -#}
    select batch.batch_id
    from audit.load_batches as batch
    inner join audit.dbt_batch_marks as marks
        on marks.invocation_id = '{{ invocation_id }}'
    where
        batch.batch_id <= marks.high_mark
        and batch.batch_id <> all(marks.running_batch_ids)
        {%- for upstream in incremental_upstream(model.unique_id) %}
            and exists (
                select from {{ watermark_of(upstream.name, upstream) }}
                where {{ watermark_holds('this_model', 'batch.batch_id') }}
            )
        {%- endfor %}
{% endmacro %}

{% macro batches_held(batch_id) %}
    {#- True when this model's relation holds batch `batch_id`. -#}
    exists (select from {{ watermark_of(model.name, this) }} where {{ watermark_holds('this_model', batch_id) }})
{% endmacro %}

{% macro watermark_of(model_name, relation) -%}
    (
        select * from audit.model_watermarks
        where model = '{{ model_name }}' and relation_oid = {{ relation_oid(relation) }}
    ) as this_model
{%- endmacro %}

{% macro watermark_holds(watermark, batch_id) -%}
    {{ batch_id }} <= {{ watermark }}.batch_id and {{ batch_id }} <> all({{ watermark }}.pending_batch_ids)
{%- endmacro %}

{% macro relation_oid(relation) -%}
    to_regclass('"{{ relation.schema }}"."{{ relation.identifier or relation.alias }}"')::oid
{%- endmacro %}

{% macro incremental_upstream(unique_id) %}
    {#- The nearest incremental models upstream of node `unique_id`, through any views and tables between. -#}
    {%- set found = [] -%}
    {%- for parent_id in graph.nodes[unique_id].depends_on.nodes if parent_id in graph.nodes -%}
        {%- set parent = graph.nodes[parent_id] -%}
        {%- if parent.resource_type == 'model' and parent.config.materialized == 'incremental' -%}
            {%- do found.append(parent) -%}
        {%- elif parent.resource_type in ('model', 'snapshot') -%}
            {%- do found.extend(incremental_upstream(parent_id)) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found | unique(attribute='unique_id') | list) }}
{% endmacro %}
