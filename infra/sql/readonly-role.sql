-- A read-only login for BI tools and data teams (see docs/sql.md). Run it once Accounting has started (it creates the
-- tables), as an administrator:
--   psql "host=127.0.0.1 user=tokenwise_admin password=... dbname=tokenwise" -v password="choose-one" -f infra/sql/readonly-role.sql
-- Optional: -v role=... (default tokenwise_reader), -v schema=... (default accounting). Safe to run again.
-- The role reads the documented reporting tables and views and nothing else: not the key list, not the event store,
-- not the bootstrap switch. Every statement it runs stops after 30 seconds.
\set ON_ERROR_STOP on
\if :{?role}
\else
  \set role tokenwise_reader
\endif
\if :{?schema}
\else
  \set schema accounting
\endif
select format('create role %I login', :'role') where not exists (select from pg_roles where rolname = :'role') \gexec
select format('alter role %I login nosuperuser nocreatedb nocreaterole noreplication connection limit 20 password %L', :'role', :'password') \gexec
select format('alter role %I set statement_timeout = %L', :'role', '30s') \gexec
select format('alter role %I set default_transaction_read_only = on', :'role') \gexec
select format('grant connect on database %I to %I', current_database(), :'role') \gexec
select format('grant usage on schema %I to %I', :'schema', :'role') \gexec
-- Whatever an earlier version of this script granted (it granted every table) is taken back first.
select format('revoke all on all tables in schema %I from %I', :'schema', :'role') \gexec
select format('alter default privileges for role %I in schema %I revoke all on tables from %I', r.rolname, :'schema', :'role')
  from pg_default_acl d join pg_roles r on r.oid = d.defaclrole join pg_namespace n on n.oid = d.defaclnamespace
  where n.nspname = :'schema' \gexec
select format('grant select on %I.%I to %I', :'schema', t, :'role')
  from unnest(array['charges', 'spend_hourly', 'daily_user_model_spend', 'daily_team_model_spend']) as t
  where to_regclass(format('%I.%I', :'schema', t)) is not null \gexec
