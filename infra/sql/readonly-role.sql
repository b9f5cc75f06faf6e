-- A read-only login for BI tools and data teams (see docs/sql.md).
--   psql "$TOKENWISE_POSTGRES_ADMIN" -v password="'choose-one'" -f infra/sql/readonly-role.sql
-- Safe to run again. Covers tables and views created later too (default privileges).
do $$ begin
  if not exists (select 1 from pg_roles where rolname = 'tokenwise_reader') then
    create role tokenwise_reader login;
  end if;
end $$;
alter role tokenwise_reader password :password;
grant connect on database tokenwise to tokenwise_reader;
grant usage on schema accounting to tokenwise_reader;
grant select on all tables in schema accounting to tokenwise_reader;
alter default privileges in schema accounting grant select on tables to tokenwise_reader;
