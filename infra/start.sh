#!/usr/bin/env bash
# Starts PostgreSQL and RabbitMQ for Tokenwise and prints their addresses as shell exports:
#   TOKENWISE_POSTGRES             the services' login (role tokenwise: owns the database, not a superuser)
#   TOKENWISE_POSTGRES_ADMIN       an administrator's login (role tokenwise_admin), for setup scripts and tests
#   TOKENWISE_RABBITMQ             the services' broker user (tokenwise)
#   TOKENWISE_RABBITMQ_MANAGEMENT  the management API as an administrator (tokenwise_admin)
# Every password is generated on first use and kept in .run/ (mode 0600); guest and postgres cannot log in over TCP.
#   TOKENWISE_POSTGRES / TOKENWISE_RABBITMQ already set -> nothing to start, they are used as they are.
#   a Docker engine answers                            -> docker compose starts postgres and rabbitmq (.env written).
#   otherwise                                          -> Debian packages, installed when missing, started on loopback.
# Safe to run again: whatever already runs is left alone. Progress goes to stderr, exports to stdout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
source "$here/secrets.sh"

pg_password=$(secret postgres-password)
pg_admin_password=$(secret postgres-admin-password)
rmq_password=$(secret rabbitmq-password)
rmq_admin_password=$(secret rabbitmq-admin-password)
pg_login() { echo "Host=127.0.0.1;Port=5432;Username=$1;Password=$2;Database=tokenwise;SSL Mode=Disable"; }

wait_for() { # name, seconds, command...
  local name=$1 secs=$2; shift 2
  for ((i = 0; i < secs; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  log "$name did not come up within ${secs}s"; return 1
}

if [[ -n "${TOKENWISE_POSTGRES:-}" && -n "${TOKENWISE_RABBITMQ:-}" ]]; then
  log "using TOKENWISE_POSTGRES and TOKENWISE_RABBITMQ from the environment"
  for name in TOKENWISE_POSTGRES TOKENWISE_RABBITMQ TOKENWISE_POSTGRES_ADMIN TOKENWISE_RABBITMQ_MANAGEMENT; do
    [[ -n "${!name:-}" ]] && echo "export $name='${!name}'"
  done
  exit 0
fi

if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  log "Docker engine found: docker compose up postgres rabbitmq"
  "$here/compose-env.sh" >&2
  docker compose -f "$here/../docker-compose.yml" up -d postgres rabbitmq >&2
  wait_for postgres 60 docker compose -f "$here/../docker-compose.yml" exec -T postgres pg_isready -U tokenwise_admin -d tokenwise
  wait_for rabbitmq 90 docker compose -f "$here/../docker-compose.yml" exec -T rabbitmq rabbitmq-diagnostics -q check_port_connectivity
  # In the compose file the broker has one user, tokenwise, which is also its administrator.
  rmq_admin=tokenwise; rmq_admin_password=$rmq_password
else
  need=()
  command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
  command -v rabbitmq-server >/dev/null 2>&1 || need+=(rabbitmq-server)
  if ((${#need[@]})); then
    log "installing ${need[*]} from Debian packages (about a minute)"
    debian_install "${need[@]}"
  fi

  version=$(ls /usr/lib/postgresql | sort -n | tail -1)
  conf=/etc/postgresql/$version/main/conf.d/tokenwise.conf
  # Every test class and service holds a pool; the default 100 connections is too few for a parallel test run.
  # Checkpoints come from the timer, not from WAL volume: at 10,000 events a second the system writes about 25 MB of
  # WAL a second, so the default 1 GB forced a checkpoint every half minute or so, and after each one every page
  # changed is written whole into the WAL again (docs/decisions.md).
  # No parallel query: on two cores a parallel plan's workers take the cores the services and other queries need; the
  # team forecast took 209 ms p50 with them and 5 ms without (docs/benchmarks.md, the console).
  settings="listen_addresses = 'localhost'\nmax_connections = 500\nshared_buffers = 2GB\nmax_wal_size = 8GB\ncheckpoint_timeout = 15min\nmax_parallel_workers_per_gather = 0\n"
  changed=false
  if [[ "$(cat "$conf" 2>/dev/null)" != "$(printf "$settings")" ]]; then printf "$settings" > "$conf"; changed=true; fi
  if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
    log "starting PostgreSQL $version"
    pg_ctlcluster "$version" main start >&2
    wait_for postgres 60 pg_isready -h 127.0.0.1 -p 5432 -q
  elif $changed; then
    log "restarting PostgreSQL $version with Tokenwise's settings ($conf)"
    pg_ctlcluster "$version" main restart >&2
    wait_for postgres 60 pg_isready -h 127.0.0.1 -p 5432 -q
  fi
  # The services' role owns the database (it creates its schemas) and nothing else; postgres keeps only local peer login.
  su postgres -c "cd / && psql -qtA -v ON_ERROR_STOP=1" >/dev/null <<SQL
do \$\$ begin
  if not exists (select from pg_roles where rolname = 'tokenwise') then create role tokenwise login; end if;
  if not exists (select from pg_roles where rolname = 'tokenwise_admin') then create role tokenwise_admin login superuser; end if;
end \$\$;
alter role tokenwise login nosuperuser nocreatedb nocreaterole noreplication password '$pg_password';
alter role tokenwise_admin login superuser password '$pg_admin_password';
alter role postgres password null;
SQL
  # Collation "C": every key (usage keys, users, streams) is compared bytewise in its indexes. The cluster default
  # C.UTF-8 goes through strcoll on each comparison; that cost a fifth of the time of inserting a batch of charges.
  su postgres -c "cd / && psql -qtAc \"SELECT 1 FROM pg_database WHERE datname = 'tokenwise'\"" | grep -q 1 ||
    su postgres -c "cd / && psql -qc \"CREATE DATABASE tokenwise OWNER tokenwise LC_COLLATE 'C' LC_CTYPE 'C.UTF-8' TEMPLATE template0\"" >&2
  # A database made by an earlier start.sh belonged to postgres: hand it and what the services created to tokenwise.
  # Read by this shell, not by postgres: a checkout in a private directory (mktemp -d) is not postgres's to open.
  su postgres -c "cd / && psql -qtA -v ON_ERROR_STOP=1 -d tokenwise" <"$here/sql/service-owner.sql" >/dev/null

  export RABBITMQ_NODENAME=rabbit@localhost
  export RABBITMQ_CONFIG_FILE="$here/rabbitmq/rabbitmq"
  # Erlang's node-to-node ports (epmd 4369, distribution 25672) on loopback too, like AMQP and the management UI.
  export ERL_EPMD_ADDRESS=127.0.0.1
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  if ! rabbitmqctl -n rabbit@localhost status >/dev/null 2>&1; then
    log "starting RabbitMQ"
    rabbitmq-plugins -n rabbit@localhost --offline enable rabbitmq_management >/dev/null
    # -detached forks a daemon that outlives this script, like the PostgreSQL cluster.
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 rabbitmq-server -detached >&2
  fi
  wait_for rabbitmq 120 rabbitmqctl -n rabbit@localhost await_startup
  rmq_admin=tokenwise_admin
  source "$here/rabbitmq/users.sh"
  rabbitmq_users rabbit@localhost 15672
  wait_for rabbitmq-management 60 curl -sf -u "tokenwise_admin:$rmq_admin_password" http://127.0.0.1:15672/api/overview
fi

echo "export TOKENWISE_POSTGRES='$(pg_login tokenwise "$pg_password")'"
echo "export TOKENWISE_POSTGRES_ADMIN='$(pg_login tokenwise_admin "$pg_admin_password")'"
echo "export TOKENWISE_RABBITMQ='amqp://tokenwise:$rmq_password@127.0.0.1:5672/'"
echo "export TOKENWISE_RABBITMQ_MANAGEMENT='http://$rmq_admin:$rmq_admin_password@127.0.0.1:15672/'"
