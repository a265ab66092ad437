{#- Work only where the inputs changed. Each relation records when its rows last changed (audit.relation_changes,
    keyed like audit.model_watermarks on the relation's oid, as publication swaps the build schema with the
    marts): an incremental model when its run inserted, updated or deleted rows (record_watermark), a table
    model when it was rebuilt, a seed when it was (re)loaded. A table model is rebuilt only when its code or
    config, or the definition of a view it reads through, changed, or when a relation it reads (through views
    and ephemeral models) changed after it was built; otherwise it stays as it is. A snapshot runs by the same
    rule. A seed is loaded only when its file or config changed. `--full-refresh` rebuilds and reloads
    everything. The data tests of the daily runs skip the relations no published build has yet to test
    (macros/new_rows.sql). Table in include/pembina/audit.py. -#}

{% materialization table, adapter='postgres' %}
    {{ return(materialize_when_inputs_changed(dbt.materialization_table_default)) }}
{% endmaterialization %}

{% materialization snapshot, adapter='postgres' %}
    {#- A snapshot records versions of what its query reads: when nothing it reads changed since its last run, the
        run could record none. -#}
    {{ return(materialize_when_inputs_changed(dbt.materialization_snapshot_default)) }}
{% endmaterialization %}

{% macro materialize_when_inputs_changed(materialize) %}
    {#- dbt's own materialization `materialize` (table or snapshot), recorded as a change of this relation, when
        table_rebuild_reason() finds a reason; otherwise nothing is touched and dbt reports UNCHANGED. What it
        built is analysed at once: autovacuum would get to it a minute later, after the models that read it
        were planned without statistics. -#}
    {%- set reason, code_hash = table_rebuild_reason(load_cached_relation(this)) -%}
    {%- if reason is none -%}
        {{ log(model.name ~ ': unchanged inputs, not built') }}
        {%- call noop_statement('main', 'UNCHANGED', 'UNCHANGED', 0) -%}
            -- unchanged inputs: not built
        {%- endcall -%}
        {{ return({'relations': [this.incorporate(type='table')]}) }}
    {%- endif -%}
    {{ log(model.name ~ ': built (' ~ reason ~ ')') }}
    {#- When the build started: a parent that changes later (another invocation) makes the next run build. -#}
    {%- set started_at = run_query('select clock_timestamp()::text').columns[0].values()[0] -%}
    {%- set built = materialize() -%}
    {%- call statement('record_relation_change') -%}
        analyze {{ this }};
        {{ record_relation_change(this, "'" ~ started_at ~ "'::timestamptz", code_hash) }}
    {%- endcall -%}
    {{ adapter.commit() }}
    {{ return(built) }}
{% endmacro %}

{% materialization incremental, adapter='postgres' %}
    {#- dbt's, and a relation built whole is analysed before the models that read it are planned. -#}
    {%- set built_whole = should_full_refresh() or load_cached_relation(this) is none -%}
    {%- set built = dbt.materialization_incremental_default() -%}
    {%- if built_whole -%}
        {%- call statement('analyze') -%}
            analyze {{ this }}
        {%- endcall -%}
        {{ adapter.commit() }}
    {%- endif -%}
    {{ return(built) }}
{% endmaterialization %}

{% materialization seed, adapter='postgres' %}
    {%- set existing = adapter.get_relation(database=database, schema=schema, identifier=model.alias) -%}
    {%- set content_hash = local_md5(model.checksum.checksum ~ tojson(model.config) ~ tojson(model.columns)) -%}
    {%- if existing is not none and existing.is_table and not should_full_refresh()
        and seed_is_loaded(existing, content_hash) -%}
        {#- dbt's seed task reads the file's table from this result -#}
        {%- do store_result('agate_table', response='OK', agate_table=load_agate_table()) -%}
        {%- call noop_statement('main', 'UNCHANGED', 'UNCHANGED', 0) -%}
            -- file and config unchanged since the seed was loaded: not reloaded
        {%- endcall -%}
        {{ return({'relations': [this.incorporate(type='table')]}) }}
    {%- endif -%}
    {#- Replaced whole, as a full refresh would (a steward may add a column); views reading it are recreated by
        the build. -#}
    {%- if existing is not none and existing.is_table -%}
        {%- do adapter.drop_relation(existing) -%}
    {%- endif -%}
    {%- set loaded = dbt.materialization_seed_default() -%}
    {%- call statement('record_relation_change') -%}
        {{ record_relation_change(this, 'clock_timestamp()', content_hash) }}
    {%- endcall -%}
    {{ adapter.commit() }}
    {{ return(loaded) }}
{% endmaterialization %}

{% macro seed_is_loaded(relation, content_hash) %}
    {%- set loaded = run_query(
        "select exists (select from audit.relation_changes where model = '" ~ model.name ~ "' and relation_oid = "
        ~ relation_oid(relation) ~ " and code_hash = '" ~ content_hash ~ "')"
    ).columns[0].values()[0] -%}
    {{ return(loaded) }}
{% endmacro %}

{% macro record_relation_change(relation, changed_at, code_hash=none) %}
    {#- The rows of `relation` (this model's) changed at `changed_at`; records of its dropped relations go. -#}
    delete from audit.relation_changes
    where model = '{{ model.name }}' and relation_oid not in (select pg_class.oid from pg_class);
    insert into audit.relation_changes (model, relation_oid, relation_name, changed_at, code_hash, invocation_id)
    values (
        '{{ model.name }}',
        {{ relation_oid(relation) }},
        '{{ relation.schema }}.{{ relation.identifier }}',
        {{ changed_at }},
        {{ "'" ~ code_hash ~ "'" if code_hash else 'null' }},
        '{{ invocation_id }}'
    )
    on conflict (model, relation_oid) do update set
        relation_name = excluded.relation_name,
        changed_at = excluded.changed_at,
        code_hash = excluded.code_hash,
        invocation_id = excluded.invocation_id
{% endmacro %}

{% macro record_incremental_change() %}
    {#- Part of an incremental model's post-hook, in the transaction that changed its rows: the relation changed
        when this transaction wrote rows to it, or when it has no record yet (built whole just now). -#}
    insert into audit.relation_changes (model, relation_oid, relation_name, changed_at, invocation_id)
    select '{{ model.name }}', {{ relation_oid(this) }}, '{{ this.schema }}.{{ this.identifier }}', clock_timestamp(),
        '{{ invocation_id }}'
    where
        not exists (
            select from audit.relation_changes
            where model = '{{ model.name }}' and relation_oid = {{ relation_oid(this) }}
        )
        or exists (
            select from pg_stat_xact_user_tables
            where relid = {{ relation_oid(this) }} and n_tup_ins + n_tup_upd + n_tup_del > 0
        )
    on conflict (model, relation_oid) do update set
        relation_name = excluded.relation_name,
        changed_at = excluded.changed_at,
        invocation_id = excluded.invocation_id
{% endmacro %}

{% macro table_rebuild_reason(existing) %}
    {#- (why this table model must be rebuilt, or none; the hash of its code to record with the build). The hash
        covers its compiled SQL, config and columns (contract, indexes, docs) and the definitions of the views it
        reads through, as the database holds them now (the build recreates them before this model). -#}
    {%- set code_hash = local_md5(sql ~ tojson(model.config) ~ tojson(model.columns)) -%}
    {%- set inputs = tracked_inputs(model.unique_id) -%}
    {%- set views = inputs.views | unique | list -%}
    {%- set view_definitions -%}
        select coalesce(string_agg(pg_get_viewdef(to_regclass(view_name)), ';' order by view_name), '') as text
        from (values ('') {%- for view in views %}, ('{{ view }}'){% endfor %}) as views (view_name)
        where view_name <> ''
    {%- endset -%}
    {%- set hash_query = "select md5('" ~ code_hash ~ "' || text) from (" ~ view_definitions ~ ") as definitions" -%}
    {%- if should_full_refresh() or existing is none or not existing.is_table or inputs.untracked -%}
        {%- set reason = 'full refresh' if should_full_refresh()
            else 'new relation' if existing is none or not existing.is_table
            else 'reads ' ~ inputs.untracked[0] ~ ', whose changes are not recorded' -%}
        {{ return((reason, run_query(hash_query).columns[0].values()[0])) }}
    {%- endif -%}
    {%- set reads_the_date = '(current_date|current_timestamp|localtimestamp|now\\(\\))' -%}
    {%- set reason_query -%}
        with

        this_build as (
            select changed_at, code_hash from audit.relation_changes
            where model = '{{ model.name }}' and relation_oid = {{ relation_oid(this) }}
        ),

        definitions as ({{ view_definitions }}),

        code as (
            select md5('{{ code_hash }}' || definitions.text) as code_hash, definitions.text as view_text
            from definitions
        ),

        parents (model, relation_name) as (
            values ('', '')
            {%- for parent in inputs.tracked | unique(attribute='relation') %}
                , ('{{ parent.name }}', '{{ parent.relation }}')
            {%- endfor %}
        ),

        changed_parents as (
            select string_agg(parents.model, ', ' order by parents.model) as models
            from parents
            left join audit.relation_changes as parent_change
                on parent_change.model = parents.model
                and parent_change.relation_oid = to_regclass(parents.relation_name)::oid
            where
                parents.model <> ''
                and (
                    parent_change.changed_at is null
                    or parent_change.changed_at >= (select this_build.changed_at from this_build)
                )
        )

        select
            case
                when not exists (select from this_build) then 'no record of its build'
                when (select this_build.code_hash from this_build) is distinct from code.code_hash
                    then 'code or config changed'
                when
                    (
                        {{ 'true' if modules.re.search('(?i)' ~ reads_the_date, sql) else 'false' }}
                        or code.view_text ~* '{{ reads_the_date }}'
                    )
                    and (select this_build.changed_at::date from this_build) < current_date
                    then 'reads the current date, built on an earlier day'
                else 'changed since its build: ' || changed_parents.models
            end,
            code.code_hash
        from code cross join changed_parents
    {%- endset -%}
    {%- set row = run_query(reason_query).rows[0] -%}
    {{ return((row[0], row[1])) }}
{% endmacro %}

{% macro tracked_inputs(unique_id, found=none) %}
    {#- The relations whose changes node `unique_id` reads: {tracked: tables, incremental models and seeds,
        which record their changes; views: the views it reads through to reach them; untracked: anything else
        it reads (sources, snapshots), which leaves it rebuilt every run}. -#}
    {%- set found = found if found is not none else {'tracked': [], 'views': [], 'untracked': []} -%}
    {%- for parent_id in graph.nodes[unique_id].depends_on.nodes -%}
        {%- set parent = graph.nodes.get(parent_id) -%}
        {%- set materialized = parent.config.materialized if parent else none -%}
        {%- if parent and (parent.resource_type == 'seed' or materialized in ('table', 'incremental')) -%}
            {%- do found.tracked.append({
                'name': parent.name,
                'relation': '"' ~ parent.schema ~ '"."' ~ (parent.alias or parent.name) ~ '"',
            }) -%}
        {%- elif parent and parent.resource_type == 'model' and materialized in ('view', 'ephemeral') -%}
            {%- if materialized == 'view' -%}
                {%- do found.views.append('"' ~ parent.schema ~ '"."' ~ (parent.alias or parent.name) ~ '"') -%}
            {%- endif -%}
            {%- do tracked_inputs(parent_id, found) -%}
        {%- else -%}
            {%- do found.untracked.append(parent_id) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found) }}
{% endmacro %}
