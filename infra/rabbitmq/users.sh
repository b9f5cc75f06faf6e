# Sourced by infra/start.sh and infra/rabbitmq-cluster.sh.
#   rabbitmq_users NODE MANAGEMENT_PORT   gives NODE the services' user (tokenwise) and an administrator
#                                         (tokenwise_admin) with $rmq_password / $rmq_admin_password, and deletes guest.
# Each rabbitmqctl call starts an Erlang VM (about a second), so this runs only when the administrator cannot log in
# yet or guest still can. In a cluster users are shared: the first node is enough.
rabbitmq_users() {
  local node=$1 port=$2
  if curl -sf -u "tokenwise_admin:$rmq_admin_password" "http://127.0.0.1:$port/api/whoami" >/dev/null 2>&1 \
     && ! curl -sf -u guest:guest "http://127.0.0.1:$port/api/whoami" >/dev/null 2>&1; then
    return 0
  fi
  echo "[infra] creating RabbitMQ users tokenwise and tokenwise_admin on $node" >&2
  local users user
  users=$(rabbitmqctl -n "$node" -s list_users)
  declare -A passwords=([tokenwise]=$rmq_password [tokenwise_admin]=$rmq_admin_password)
  for user in tokenwise tokenwise_admin; do
    grep -q "^$user\s" <<<"$users" || rabbitmqctl -n "$node" add_user "$user" "${passwords[$user]}" >/dev/null
    rabbitmqctl -n "$node" change_password "$user" "${passwords[$user]}" >/dev/null
    rabbitmqctl -n "$node" set_permissions -p / "$user" ".*" ".*" ".*" >/dev/null
  done
  # The services reach the broker over AMQP only; the administrator manages it (and the tests' virtual hosts).
  rabbitmqctl -n "$node" set_user_tags tokenwise >/dev/null
  rabbitmqctl -n "$node" set_user_tags tokenwise_admin administrator >/dev/null
  if grep -q "^guest\s" <<<"$users"; then rabbitmqctl -n "$node" delete_user guest >/dev/null; fi
}
