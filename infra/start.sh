#!/usr/bin/env bash
# Starts PostgreSQL and RabbitMQ for Tokenwise and prints the two connection strings as shell exports.
#   TOKENWISE_POSTGRES / TOKENWISE_RABBITMQ already set -> nothing to start, they are used as they are.
#   a Docker engine answers                            -> docker compose starts the postgres and rabbitmq services.
#   otherwise                                          -> Debian packages, installed when missing, started on loopback.
# Safe to run again: whatever already runs is left alone. Progress goes to stderr, exports to stdout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
log() { echo "[infra] $*" >&2; }

pg_default="Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres;Database=tokenwise;SSL Mode=Disable"
rmq_default="amqp://guest:guest@127.0.0.1:5672/"

wait_for() { # name, seconds, command...
  local name=$1 secs=$2; shift 2
  for ((i = 0; i < secs; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  log "$name did not come up within ${secs}s"; return 1
}

if [[ -n "${TOKENWISE_POSTGRES:-}" && -n "${TOKENWISE_RABBITMQ:-}" ]]; then
  log "using TOKENWISE_POSTGRES and TOKENWISE_RABBITMQ from the environment"
  echo "export TOKENWISE_POSTGRES='$TOKENWISE_POSTGRES'"
  echo "export TOKENWISE_RABBITMQ='$TOKENWISE_RABBITMQ'"
  exit 0
fi

if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  log "Docker engine found: docker compose up postgres rabbitmq"
  docker compose -f "$here/../docker-compose.yml" up -d postgres rabbitmq >&2
  wait_for postgres 60 docker compose -f "$here/../docker-compose.yml" exec -T postgres pg_isready -U postgres
  wait_for rabbitmq 90 docker compose -f "$here/../docker-compose.yml" exec -T rabbitmq rabbitmq-diagnostics -q check_port_connectivity
else
  need=()
  command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
  command -v rabbitmq-server >/dev/null 2>&1 || need+=(rabbitmq-server)
  if ((${#need[@]})); then
    log "installing ${need[*]} from Debian packages (about a minute)"
    sudo_cmd=""; [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >&2
  fi

  version=$(ls /usr/lib/postgresql | sort -n | tail -1)
  conf=/etc/postgresql/$version/main/conf.d/tokenwise.conf
  # Every test class and service holds a pool; the default 100 connections is too few for a parallel test run.
  # Checkpoints come from the timer, not from WAL volume: at 10,000 events a second the system writes about 25 MB of
  # WAL a second, so the default 1 GB forced a checkpoint every half minute or so, and after each one every page
  # changed is written whole into the WAL again (docs/decisions.md).
  settings="listen_addresses = 'localhost'\nmax_connections = 500\nshared_buffers = 2GB\nmax_wal_size = 8GB\ncheckpoint_timeout = 15min\n"
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
  su postgres -c "psql -qtAc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
  # Collation "C": every key (usage keys, users, streams) is compared bytewise in its indexes. The cluster default
  # C.UTF-8 goes through strcoll on each comparison; that cost a fifth of the time of inserting a batch of charges.
  su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname = 'tokenwise'\"" | grep -q 1 ||
    su postgres -c "psql -qc \"CREATE DATABASE tokenwise LC_COLLATE 'C' LC_CTYPE 'C.UTF-8' TEMPLATE template0\"" >&2

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
  wait_for rabbitmq-management 60 curl -sf -u guest:guest http://127.0.0.1:15672/api/overview
fi

echo "export TOKENWISE_POSTGRES='$pg_default'"
echo "export TOKENWISE_RABBITMQ='$rmq_default'"
