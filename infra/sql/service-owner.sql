-- Makes the services' role (tokenwise) the owner of the database and of everything in its schemas that postgres
-- owns: a database made before Tokenwise had its own role keeps working. Run by infra/start.sh; safe to run again.
alter database tokenwise owner to tokenwise;
do $$
declare r record;
begin
  for r in select n.nspname from pg_namespace n
           where n.nspowner = 'postgres'::regrole and n.nspname !~ '^pg_' and n.nspname not in ('information_schema', 'public') loop
    execute format('alter schema %I owner to tokenwise', r.nspname);
  end loop;
  -- Tables (their indexes and owned sequences follow), views, materialized views and free-standing sequences.
  for r in select c.oid::regclass as name, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where c.relowner = 'postgres'::regrole and n.nspname !~ '^pg_' and n.nspname <> 'information_schema'
             and c.relkind in ('r', 'p', 'v', 'm', 'S')
             and not (c.relkind = 'S' and exists (select from pg_depend d where d.objid = c.oid and d.deptype in ('a', 'i'))) loop
    execute format('alter %s %s owner to tokenwise',
      case r.relkind when 'v' then 'view' when 'm' then 'materialized view' when 'S' then 'sequence' else 'table' end, r.name);
  end loop;
  for r in select p.oid::regprocedure as routine from pg_proc p join pg_namespace n on n.oid = p.pronamespace
           where p.proowner = 'postgres'::regrole and n.nspname !~ '^pg_' and n.nspname <> 'information_schema' loop
    execute format('alter routine %s owner to tokenwise', r.routine);
  end loop;
end $$;
