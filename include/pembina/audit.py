"""The run record: load batches, ingested files and validation results, in the ``audit`` schema."""

from __future__ import annotations

import psycopg

AUDIT_DDL = """
create schema if not exists audit;

create table if not exists audit.load_batches (
    batch_id        bigint generated always as identity primary key,
    source          text not null,
    run_id          text,
    started_at      timestamptz not null default now(),
    finished_at     timestamptz,
    status          text not null default 'running'
                    check (status in ('running', 'succeeded', 'partial', 'failed')),
    lease_until     timestamptz,
    failure_reason  text
);

create table if not exists audit.ingested_files (
    file_id          bigint generated always as identity primary key,
    batch_id         bigint not null references audit.load_batches (batch_id),
    source           text not null,
    path             text not null,
    sha256           text not null,
    size_bytes       bigint not null,
    encoding         text,
    status           text not null check (status in ('loaded', 'skipped', 'rejected')),
    reason           text,
    rows_read        bigint not null default 0,
    rows_loaded      bigint not null default 0,
    rows_quarantined bigint not null default 0,
    started_at       timestamptz not null default now(),
    finished_at      timestamptz,
    absent_columns   jsonb not null default '[]',
    codes_rewritten  jsonb not null default '{}',
    constraint ingested_files_reconcile check (
        status <> 'loaded' or rows_read = rows_loaded + rows_quarantined
    )
);

-- A warehouse created before these columns gains them; checked first, as altering a table waits for every
-- load that is writing to it.
do $$
begin
    if not exists (select from pg_attribute
                    where attrelid = 'audit.load_batches'::regclass and attname = 'failure_reason') then
        alter table audit.load_batches add column lease_until timestamptz, add column failure_reason text;
    end if;
    if not exists (select from pg_attribute
                    where attrelid = 'audit.ingested_files'::regclass and attname = 'codes_rewritten') then
        alter table audit.ingested_files
            add column absent_columns jsonb not null default '[]',
            add column codes_rewritten jsonb not null default '{}';
    end if;
end
$$;

create unique index if not exists ingested_files_loaded_once
    on audit.ingested_files (source, sha256) where status = 'loaded';

-- One row per dbt invocation that builds marts (macros/build_record.sql): `running` until its on-run-end
-- hook, so a killed build stays `running` and is never published.
create table if not exists audit.dbt_builds (
    build_id       bigint generated always as identity primary key,
    invocation_id  text not null unique,
    command        text not null,
    whole_project  boolean not null,
    started_at     timestamptz not null default clock_timestamp(),
    finished_at    timestamptz,
    status         text not null default 'running' check (status in ('running', 'success', 'failed'))
);

-- One row per run of the quality gate (all its suites); a killed gate writes none.
create table if not exists audit.gate_runs (
    gate_run_id    bigint generated always as identity primary key,
    run_id         text,
    build_id       bigint references audit.dbt_builds (build_id),
    started_at     timestamptz not null,
    finished_at    timestamptz not null default clock_timestamp(),
    passed         boolean not null,
    critical_failed integer not null
);

create table if not exists audit.publications (
    publication_id bigint generated always as identity primary key,
    published_at   timestamptz not null default now(),
    schema_name    text not null,
    relations      text[] not null
);
alter table audit.publications
    add column if not exists build_id bigint references audit.dbt_builds (build_id),
    add column if not exists gate_run_id bigint references audit.gate_runs (gate_run_id),
    add column if not exists airflow_run_id text;
-- The load batch after which the build's data tests (and its gate's suites on growing tables) looked: the
-- var tests_since_batch of the warehouse DAG's daily runs; NULL when they read whole tables.
alter table audit.dbt_builds add column if not exists tests_since_batch bigint;

-- One row per failed task that Pembina's failure alert saw (pembina.alerts): the first of a run sends the
-- run's message (`delivered`, `failed` with the channel's error, or `no_channel`); later ones are `suppressed`.
create table if not exists audit.alerts (
    alert_id     bigint generated always as identity primary key,
    raised_at    timestamptz not null default now(),
    dag_id       text not null,
    run_id       text not null,
    run_attempt  integer not null default 0,
    task_id      text not null,
    map_index    integer,
    kind         text not null check (kind in ('task_failed', 'gate_failed')),
    message      text not null,
    channels     text[] not null default '{}',
    status       text not null
                 check (status in ('sending', 'delivered', 'failed', 'no_channel', 'suppressed')),
    error        text
);
create unique index if not exists alerts_one_message_per_run
    on audit.alerts (dag_id, run_id, run_attempt) where status <> 'suppressed';

create table if not exists audit.validation_runs (
    validation_run_id bigint generated always as identity primary key,
    run_id            text,
    suite             text not null,
    target            text not null,
    started_at        timestamptz not null default now(),
    success           boolean not null,
    evaluated         integer not null,
    failed            integer not null,
    docs_path         text
);
alter table audit.validation_runs
    add column if not exists gate_run_id bigint references audit.gate_runs (gate_run_id);
-- A table suite's relation (its oid: publication swaps the schemas) and what its checks were (a hash): a later
-- gate run carries the results over, rather than validating again, while the relation has not changed since
-- (audit.relation_changes) and the checks are the same; `carried_from` is the run that validated the rows.
alter table audit.validation_runs
    add column if not exists relation_oid oid,
    add column if not exists checks_hash text,
    add column if not exists carried_from bigint references audit.validation_runs (validation_run_id);

create table if not exists audit.validation_results (
    result_id         bigint generated always as identity primary key,
    validation_run_id bigint not null references audit.validation_runs (validation_run_id),
    expectation       text not null,
    column_name       text,
    severity          text not null check (severity in ('critical', 'warning')),
    success           boolean not null,
    observed          jsonb
);

-- The load batches a dbt invocation may read (dbt_project/macros/incremental/new_batches.sql), taken when it
-- starts: the largest batch id finished then, and the batches still running then. A batch id is taken when a
-- load starts, so a batch below the mark may still be running and finish after it.
create table if not exists audit.dbt_batch_marks (
    invocation_id     text primary key,
    high_mark         bigint not null,
    running_batch_ids bigint[] not null,
    recorded_at       timestamptz not null default clock_timestamp()
);

-- The load batches each incremental dbt relation holds: every batch up to `batch_id` except the
-- `pending_batch_ids` (running when it was built, or not yet in a relation upstream). Written by the model's
-- post-hook in the transaction that changes its rows, so a model that fails leaves it as it was. Keyed on the
-- table's oid: a full refresh creates a new table, which starts over, and the marts' publication swaps
-- schemas, each table keeping its own watermark.
create table if not exists audit.model_watermarks (
    model             text not null,
    relation_oid      oid not null,
    relation_name     text not null,
    batch_id          bigint not null,
    pending_batch_ids bigint[] not null,
    invocation_id     text not null,
    updated_at        timestamptz not null default clock_timestamp(),
    primary key (model, relation_oid)
);

-- When the rows of each dbt relation last changed (dbt_project/macros/incremental/relation_changes.sql): an
-- incremental model's when its run wrote rows, a table model's when it was rebuilt (the time its build
-- started), a seed's when it was loaded; `code_hash` is what the build or load was made from (a table's code
-- and config, a seed's file). A table model whose code and inputs have not changed since is not rebuilt, a
-- seed not reloaded. Keyed on the relation's oid, as audit.model_watermarks.
create table if not exists audit.relation_changes (
    model          text not null,
    relation_oid   oid not null,
    relation_name  text not null,
    changed_at     timestamptz not null,
    code_hash      text,
    invocation_id  text not null,
    primary key (model, relation_oid)
);
"""


def ensure_audit_schema(conn: psycopg.Connection) -> None:
    conn.execute(AUDIT_DDL)
