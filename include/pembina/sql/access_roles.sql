-- What each group role reaches in the warehouse, granted by its owner (current_user). Idempotent; run by
-- `pembina prepare` and after each publication (pembina.db.grant_access_roles), and on a server by
-- deploy/postgres/init.sql at the first start. The roles are NOLOGIN groups: a person or a service gets a login of
-- their own that is a member (README, "Roles"). The BI login's reach is pembina.publish's and restrict_bi_role's.
--
--   pembina_loader       writes raw and audit (the ingest); reads nothing else
--   pembina_transformer  dbt: reads raw, writes reference, staging, intermediate, snapshots, identity, marts_build,
--                        and its build record (audit.dbt_builds)
--   pembina_hr_analyst   reads the published marts (granted by publication, as for the BI login) and identity
--   pembina_auditor      reads audit (the run reports are files)
create schema if not exists raw;
create schema if not exists audit;
create schema if not exists reference;
create schema if not exists staging;
create schema if not exists intermediate;
create schema if not exists snapshots;
create schema if not exists identity;

do $$
declare
    schema_name text;
begin
    execute format(
        'grant connect on database %I to pembina_loader, pembina_transformer, pembina_hr_analyst, pembina_auditor',
        current_database()
    );

    grant usage on schema raw, audit to pembina_loader;
    grant select, insert, update, delete on all tables in schema raw to pembina_loader;
    grant select, insert, update on all tables in schema audit to pembina_loader;
    alter default privileges in schema raw grant select, insert, update, delete on tables to pembina_loader;
    alter default privileges in schema audit grant select, insert, update on tables to pembina_loader;

    grant usage on schema audit to pembina_auditor;
    grant select on all tables in schema audit to pembina_auditor;
    alter default privileges in schema audit grant select on tables to pembina_auditor;

    grant usage on schema identity to pembina_hr_analyst;
    grant select on all tables in schema identity to pembina_hr_analyst;
    alter default privileges in schema identity grant select on tables to pembina_hr_analyst;

    -- dbt creates its schemas when they are missing (marts_build after a publication).
    execute format('grant create on database %I to pembina_transformer', current_database());
    grant usage on schema raw to pembina_transformer;
    grant select on all tables in schema raw to pembina_transformer;
    alter default privileges in schema raw grant select on tables to pembina_transformer;
    -- marts_build exists between a build and its publication; the published marts stay out of reach (below).
    for schema_name in
        select nspname from pg_namespace
         where nspname in ('reference', 'staging', 'intermediate', 'snapshots', 'identity', 'marts_build')
    loop
        execute format('grant usage, create on schema %I to pembina_transformer', schema_name);
        execute format(
            'grant select, insert, update, delete, truncate on all tables in schema %I to pembina_transformer',
            schema_name
        );
        execute format(
            'alter default privileges in schema %I grant select, insert, update, delete, truncate on tables '
            'to pembina_transformer',
            schema_name
        );
    end loop;
    if to_regclass('audit.dbt_builds') is not null then
        grant usage on schema audit to pembina_transformer;
        grant select, insert, update on audit.dbt_builds to pembina_transformer;
    end if;
    if exists (select from pg_namespace where nspname = 'marts') then
        revoke create on schema marts from pembina_transformer;
        revoke all on all tables in schema marts from pembina_transformer;
    end if;
end
$$;
