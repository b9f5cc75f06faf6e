#!/usr/bin/env bash
# A PostgreSQL primary with a streaming standby on this machine, for the high-availability suite and for trying the
# layout by hand: two Debian clusters beside the main one (which the other tests use and which stays single).
#   ha-1 on 127.0.0.1:5442, the primary; it commits only once ha-2 has the commit on disk (synchronous_commit = on,
#        synchronous_standby_names = ha_2), so an event Ingestion acknowledged survives losing ha-1.
#   ha-2 on 127.0.0.1:5443, the standby: PostgreSQL's own pg_basebackup, standby.signal and a replication slot.
#   infra/postgres-standby.sh start     makes a fresh pair unless one is already streaming synchronously, and prints
#                                       TOKENWISE_POSTGRES and TOKENWISE_POSTGRES_ADMIN as Npgsql multi-host connection
#                                       strings (both hosts, Target Session Attributes=primary): after a promotion the
#                                       services reconnect to whichever host is the primary by themselves; and
#                                       TOKENWISE_PSQL_ADMIN, the administrator's for psql.
#   infra/postgres-standby.sh promote   fails over: stops ha-1 at once (as a crash does) and promotes ha-2 (pg_ctl promote).
#                                       ha-2 then runs alone, committing without a standby; start makes a new pair.
#   infra/postgres-standby.sh stop      stops both; drop removes both.
# Roles and passwords are the main cluster's (.run/), plus tokenwise_replication for the standby's connection.
# Production fail-over (Patroni, CloudNativePG) is described in docs/deployment.md, not built here.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
source "$here/secrets.sh"
pg_password=$(secret postgres-password)
pg_admin_password=$(secret postgres-admin-password)
replication_password=$(secret postgres-replication-password)

if ! command -v pg_createcluster >/dev/null 2>&1; then
  log "installing postgresql from Debian packages"
  debian_install postgresql
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
primary_port=5442 standby_port=5443

as_postgres() { su postgres -s /bin/bash -c "cd / && $1"; }
sql() { # port, sql: as the local superuser, one value out
  as_postgres "psql -p $1 -qtA -v ON_ERROR_STOP=1 -c \"$2\""
}
streaming_synchronously() {
  [[ $(sql $primary_port "select count(*) from pg_stat_replication where application_name = 'ha_2' and sync_state = 'sync'" 2>/dev/null) == 1 ]] &&
    [[ $(sql $primary_port "select pg_is_in_recovery()" 2>/dev/null) == f ]]
}
wait_until() { # what, seconds, command...
  local what=$1 secs=$2; shift 2
  for ((i = 0; i < secs * 5; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  log "$what did not happen within ${secs}s"; return 1
}
settings() { # extra lines
  printf "listen_addresses = 'localhost'\nmax_connections = 500\nshared_buffers = 256MB\nmax_parallel_workers_per_gather = 0\n%b" "${1:-}"
}
drop() {
  for name in ha-1 ha-2; do
    [[ -d /etc/postgresql/$version/$name ]] && pg_dropcluster --stop "$version" "$name" >&2
  done
  true
}

case ${1:-start} in
  start)
    if streaming_synchronously; then
      log "ha-1 ($primary_port) streams synchronously to ha-2 ($standby_port)"
    else
      log "making a PostgreSQL primary (ha-1, $primary_port) and a synchronous standby (ha-2, $standby_port)"
      drop
      pg_createcluster "$version" ha-1 -p $primary_port >/dev/null
      settings >"/etc/postgresql/$version/ha-1/conf.d/tokenwise.conf"
      pg_ctlcluster "$version" ha-1 start >&2
      as_postgres "psql -p $primary_port -qtA -v ON_ERROR_STOP=1" >/dev/null <<SQL
create role tokenwise login nosuperuser nocreatedb nocreaterole noreplication password '$pg_password';
create role tokenwise_admin login superuser password '$pg_admin_password';
create role tokenwise_replication login replication password '$replication_password';
create database tokenwise owner tokenwise lc_collate 'C' lc_ctype 'C.UTF-8' template template0;
SQL
      pg_createcluster "$version" ha-2 -p $standby_port >/dev/null
      settings >"/etc/postgresql/$version/ha-2/conf.d/tokenwise.conf"
      data=/var/lib/postgresql/$version/ha-2
      rm -rf "$data"
      # -R writes standby.signal and primary_conninfo; the slot keeps the WAL the standby has not received yet.
      as_postgres "PGPASSWORD='$replication_password' pg_basebackup -d 'host=127.0.0.1 port=$primary_port user=tokenwise_replication application_name=ha_2' -D $data -X stream -c fast -R -C -S ha_2" >&2
      pg_ctlcluster "$version" ha-2 start >&2
      # Synchronous only now that the standby streams: before, every commit on ha-1 would wait for it.
      settings "synchronous_standby_names = 'ha_2'\nsynchronous_commit = on\n" >"/etc/postgresql/$version/ha-1/conf.d/tokenwise.conf"
      pg_ctlcluster "$version" ha-1 reload >&2
      wait_until "synchronous streaming to ha-2" 60 streaming_synchronously
    fi
    hosts="127.0.0.1:$primary_port,127.0.0.1:$standby_port"
    login() { echo "Host=$hosts;Username=$1;Password=$2;Database=tokenwise;SSL Mode=Disable;Target Session Attributes=primary"; }
    echo "export TOKENWISE_POSTGRES='$(login tokenwise "$pg_password")'"
    echo "export TOKENWISE_POSTGRES_ADMIN='$(login tokenwise_admin "$pg_admin_password")'"
    # The same administrator for psql (libpq spells the hosts and the target differently).
    echo "export TOKENWISE_PSQL_ADMIN='host=127.0.0.1,127.0.0.1 port=$primary_port,$standby_port user=tokenwise_admin password=$pg_admin_password dbname=tokenwise sslmode=disable target_session_attrs=read-write'"
    ;;
  promote)
    log "failing over: ha-1 stops at once, ha-2 is promoted"
    pg_ctlcluster "$version" ha-1 stop -m immediate >&2 || true
    pg_ctlcluster "$version" ha-2 promote >&2
    wait_until "ha-2 to take writes" 30 bash -c "[[ \$(su postgres -s /bin/bash -c 'cd / && psql -p $standby_port -qtAc \"select pg_is_in_recovery()\"') == f ]]"
    ;;
  stop)
    for name in ha-1 ha-2; do pg_ctlcluster "$version" "$name" stop -m fast >&2 2>/dev/null || true; done
    ;;
  drop) drop ;;
  *)
    echo "usage: $0 start | promote | stop | drop" >&2
    exit 2
    ;;
esac
