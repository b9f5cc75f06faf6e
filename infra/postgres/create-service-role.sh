#!/usr/bin/env bash
# Run once by the postgres image when its volume is new: the services' role, owner of the database, not a superuser.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v password="$TOKENWISE_POSTGRES_PASSWORD" <<'SQL'
create role tokenwise login nosuperuser nocreatedb nocreaterole noreplication password :'password';
alter database tokenwise owner to tokenwise;
SQL
