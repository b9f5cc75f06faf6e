#!/usr/bin/env bash
# A three-node RabbitMQ cluster on this machine (Debian's rabbitmq-server, installed when missing), for the
# high-availability suite and for trying the layout by hand. Nodes tokenwise-1..3@localhost, on loopback:
#   AMQP 5681-5683, management 15681-15683, Erlang distribution 25681-25683 (epmd 4369 is shared with the single broker).
# Data and logs in /var/lib/rabbitmq/tokenwise-cluster/node-K; users and passwords are the single broker's (.run/).
#   infra/rabbitmq-cluster.sh start          starts the nodes not running, joins them, prints shell exports:
#                                            TOKENWISE_RABBITMQ (the first node), TOKENWISE_RABBITMQ_NODES (all three),
#                                            TOKENWISE_RABBITMQ_MANAGEMENT (the first node's management API)
#   infra/rabbitmq-cluster.sh stop-node K    stops node K (the suite's fault); start-node K starts it again
#   infra/rabbitmq-cluster.sh stop           stops every node
# Progress goes to stderr, exports to stdout. Safe to run again.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
source "$here/secrets.sh"
rmq_password=$(secret rabbitmq-password)
rmq_admin_password=$(secret rabbitmq-admin-password)
source "$here/rabbitmq/users.sh"

base=/var/lib/rabbitmq/tokenwise-cluster
nodes=(1 2 3)
node() { echo "tokenwise-$1@localhost"; }
amqp_port() { echo $((5680 + $1)); }
management_port() { echo $((15680 + $1)); }

if ! command -v rabbitmq-server >/dev/null 2>&1; then
  log "installing rabbitmq-server from Debian packages"
  debian_install rabbitmq-server
fi
# Node-to-node traffic on loopback only, like the single broker's (infra/start.sh).
export ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"

running() { rabbitmqctl -n "$(node "$1")" -q status >/dev/null 2>&1; }

start_node() {
  local k=$1 dir=$base/node-$1
  running "$k" && return 0
  mkdir -p "$dir/mnesia" "$dir/log"
  cat >"$dir/rabbitmq.conf" <<CONF
# Written by infra/rabbitmq-cluster.sh.
listeners.tcp.default = 127.0.0.1:$(amqp_port "$k")
management.tcp.ip = 127.0.0.1
management.tcp.port = $(management_port "$k")
disk_free_limit.absolute = 50MB
CONF
  echo "[rabbitmq_management]." >"$dir/enabled_plugins"
  touch "$dir/log/launched" # a crash dump newer than this is this start's
  chown -R rabbitmq:rabbitmq "$base"
  log "starting RabbitMQ node $(node "$k")"
  # The Debian wrapper runs the node as the rabbitmq user, which shares its Erlang cookie with every node and the CLI.
  RABBITMQ_NODENAME=$(node "$k") RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=$(amqp_port "$k") \
    RABBITMQ_DIST_PORT=$((25680 + k)) RABBITMQ_CONFIG_FILE="$dir/rabbitmq" RABBITMQ_MNESIA_BASE="$dir/mnesia" \
    RABBITMQ_LOG_BASE="$dir/log" ERL_CRASH_DUMP="$dir/log/erl_crash.dump" RABBITMQ_PID_FILE="$dir/pid" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
    rabbitmq-server -detached >&2
}

# RabbitMQ 3.10 can crash while a node syncs its feature flags with a peer that is itself still booting (seen when a
# stopped cluster restarts all at once). The node then halts and leaves a crash dump; start it again, up to 3 times.
await_node() {
  local k=$1 dir=$base/node-$1
  for ((attempt = 1; attempt <= 3; attempt++)); do
    for ((i = 0; i < 120; i++)); do
      rabbitmqctl -n "$(node "$k")" -q await_startup >/dev/null 2>&1 && return 0
      if [[ $dir/log/erl_crash.dump -nt $dir/log/launched ]]; then
        log "node $(node "$k") halted while starting: $(grep -a -m1 '^Slogan' "$dir/log/erl_crash.dump" | cut -c1-200)"
        break
      fi
      sleep 1
    done
    ((attempt < 3)) && start_node "$k"
  done
  log "node $(node "$k") did not start in 3 attempts (logs in $dir/log)"
  return 1
}

case ${1:-start} in
  start)
    # Started together: a node restarted after the others stopped waits for its peers before it opens.
    for k in "${nodes[@]}"; do start_node "$k"; done
    for k in "${nodes[@]}"; do await_node "$k"; done
    for k in 2 3; do
      if ! rabbitmqctl -n "$(node 1)" -q cluster_status 2>/dev/null | grep -q "$(node "$k")"; then
        log "joining $(node "$k") to $(node 1)"
        rabbitmqctl -n "$(node "$k")" -q stop_app >&2
        rabbitmqctl -n "$(node "$k")" -q reset >&2
        rabbitmqctl -n "$(node "$k")" -q join_cluster "$(node 1)" >&2
        rabbitmqctl -n "$(node "$k")" -q start_app >&2
      fi
    done
    for ((i = 0; i < 60; i++)); do
      # Not -f: with pipefail, curl's failure on the 401 it waits for would hide the match.
      curl -s "http://127.0.0.1:$(management_port 1)/api/overview" -o /dev/null -w '%{http_code}' 2>/dev/null | grep -q 401 && break
      sleep 1
    done
    rabbitmq_users "$(node 1)" "$(management_port 1)"
    echo "export TOKENWISE_RABBITMQ='amqp://tokenwise:$rmq_password@127.0.0.1:$(amqp_port 1)/'"
    echo "export TOKENWISE_RABBITMQ_NODES='$(for k in "${nodes[@]}"; do printf '127.0.0.1:%s,' "$(amqp_port "$k")"; done | sed 's/,$//')'"
    echo "export TOKENWISE_RABBITMQ_MANAGEMENT='http://tokenwise_admin:$rmq_admin_password@127.0.0.1:$(management_port 1)/'"
    ;;
  stop-node)
    log "stopping $(node "$2")"
    rabbitmqctl -n "$(node "$2")" -q stop >&2
    ;;
  start-node)
    start_node "$2"
    await_node "$2"
    ;;
  stop)
    for k in "${nodes[@]}"; do running "$k" && rabbitmqctl -n "$(node "$k")" -q stop >&2; done
    true
    ;;
  *)
    echo "usage: $0 start | stop-node K | start-node K | stop" >&2
    exit 2
    ;;
esac
