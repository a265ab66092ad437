-- First start of the server's PostgreSQL (docker-compose.yml mounts this into /docker-entrypoint-initdb.d):
-- one server, one database and one login per user of it. The official postgres image runs this once, as the
-- superuser, through psql, only while the data volume is empty; later password changes need ALTER ROLE.
--
--   pembina     the warehouse; owned by the `pembina` login that Airflow tasks and dbt use
--   airflow     Airflow's metadata (and the Celery result backend); owned by the `airflow` login
--   metabase    Metabase's own application database; owned by the `metabase` login
--   pembina_bi  read-only login for BI tools: it may connect to `pembina` and nothing more until the quality
--               gate publishes the marts (pembina.publish grants SELECT on `marts` only; the same limits as
--               pembina.db.restrict_bi_role: no Airflow database, no TEMP, no CREATE)
--   pembina_loader, pembina_transformer, pembina_hr_analyst, pembina_auditor
--               NOLOGIN groups; what each reaches is include/pembina/sql/access_roles.sql, run below as the
--               warehouse's owner (and again by `pembina prepare` and after each publication). A person or a
--               service gets a login of their own in one of them (README, "Roles").
--
-- Passwords come from the container's environment (psql's \getenv, PostgreSQL 15+), never from this file.

\set ON_ERROR_STOP on

\getenv airflow_password AIRFLOW_DB_PASSWORD
\getenv pembina_password PEMBINA_DB_PASSWORD
\getenv bi_password PEMBINA_BI_PASSWORD
\getenv metabase_password METABASE_DB_PASSWORD

\if :{?airflow_password}
\else
  DO $$ BEGIN RAISE EXCEPTION 'AIRFLOW_DB_PASSWORD is not set in the postgres container'; END $$;
\endif
\if :{?pembina_password}
\else
  DO $$ BEGIN RAISE EXCEPTION 'PEMBINA_DB_PASSWORD is not set in the postgres container'; END $$;
\endif
\if :{?bi_password}
\else
  DO $$ BEGIN RAISE EXCEPTION 'PEMBINA_BI_PASSWORD is not set in the postgres container'; END $$;
\endif
\if :{?metabase_password}
\else
  DO $$ BEGIN RAISE EXCEPTION 'METABASE_DB_PASSWORD is not set in the postgres container'; END $$;
\endif

CREATE ROLE airflow LOGIN PASSWORD :'airflow_password';
CREATE ROLE pembina LOGIN PASSWORD :'pembina_password';
CREATE ROLE metabase LOGIN PASSWORD :'metabase_password';
CREATE ROLE pembina_bi LOGIN PASSWORD :'bi_password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
-- A second guard beside the grants: whatever it is later granted, the BI login cannot write.
ALTER ROLE pembina_bi SET default_transaction_read_only = on;

CREATE ROLE pembina_loader NOLOGIN;
CREATE ROLE pembina_transformer NOLOGIN;
CREATE ROLE pembina_hr_analyst NOLOGIN;
CREATE ROLE pembina_auditor NOLOGIN;

CREATE DATABASE airflow OWNER airflow;
-- Text in byte order (collation C): the warehouse sorts and indexes its keys 4 times faster than under a language
-- collation, and UTF-8's byte order is code point order (pembina.db.create_database).
CREATE DATABASE pembina OWNER pembina TEMPLATE template0 LOCALE_PROVIDER libc LC_COLLATE 'C';
CREATE DATABASE metabase OWNER metabase;

-- Nobody but the owner connects to a database or creates temporary tables in it unless granted (PUBLIC has
-- CONNECT and TEMP by default).
REVOKE ALL ON DATABASE airflow FROM PUBLIC;
REVOKE ALL ON DATABASE pembina FROM PUBLIC;
REVOKE ALL ON DATABASE metabase FROM PUBLIC;
GRANT CONNECT ON DATABASE pembina TO pembina_bi;

\connect pembina
-- PostgreSQL 15+ already keeps CREATE on `public` from PUBLIC; say so anyway, the BI login must never own
-- anything in the warehouse.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- The warehouse's schemas, owned by `pembina`, and the group roles' grants on them and on what `pembina`
-- creates there later (default privileges are per creating role, hence SET ROLE).
SET ROLE pembina;
\i /docker-entrypoint-initdb.d/pembina/access_roles.sql
RESET ROLE;
