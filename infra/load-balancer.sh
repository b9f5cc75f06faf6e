#!/usr/bin/env bash
# The load balancer in front of several instances of each service (./run.sh --instances N): nginx from Debian's
# packages, installed when missing, run from .run/nginx as this user's process (not the system service).
#   infra/load-balancer.sh <bind address> <service>=<public port>:<instance port>,<instance port>... ...
# Writes nginx.conf in $TOKENWISE_NGINX_DIR (.run/nginx when not set), starts nginx (or reloads the one it started
# there before) and prints its master pid.
set -euo pipefail
cd "$(dirname "$0")/.."
source infra/common.sh

if ! command -v nginx >/dev/null 2>&1 && [[ ! -x /usr/sbin/nginx ]]; then
  log "installing nginx from Debian packages"
  debian_install nginx-light || debian_install nginx
  # The package starts the system's own nginx on port 80; Tokenwise runs its own.
  sudo_cmd=""; [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd /etc/init.d/nginx stop >/dev/null 2>&1 || true
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

bind=$1; shift
prefix=${TOKENWISE_NGINX_DIR:-$PWD/.run/nginx}
mkdir -p "$prefix/tmp" "$prefix/logs"
{
  cat <<'CONF'
# Written by infra/load-balancer.sh; ./run.sh --instances writes it again at each start.
worker_processes 1;
pid nginx.pid;
error_log logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path tmp/body;
  proxy_temp_path tmp/proxy;
  fastcgi_temp_path tmp/fastcgi;
  uwsgi_temp_path tmp/uwsgi;
  scgi_temp_path tmp/scgi;
  # The services bound what they read themselves (and answer 413 naming the limit); nginx passes it through.
  client_max_body_size 0;
  proxy_request_buffering off;
  proxy_http_version 1.1;
  proxy_set_header Connection "";
  proxy_set_header Host $http_host;
  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
  proxy_set_header X-Forwarded-Proto $scheme;
  proxy_connect_timeout 2s;
  proxy_read_timeout 120s;
  # An instance that cannot be reached is skipped for 2 s and the request goes to the next one. A request already
  # sent is retried elsewhere only if its method is idempotent (nginx's default): senders retry the rest with the
  # same ids, which Tokenwise counts once.
  proxy_next_upstream error timeout http_502;
  proxy_next_upstream_tries 3;
  # A request whose instance died under it (and that nginx may not resend) is answered like every other outage:
  # 503 with Retry-After and a problem, so a sender retries it with the same ids instead of seeing a bare 502.
CONF
  for spec in "$@"; do
    name=${spec%%=*}; rest=${spec#*=}; public=${rest%%:*}; ports=${rest#*:}
    echo "  upstream $name {"
    for port in ${ports//,/ }; do echo "    server 127.0.0.1:$port max_fails=1 fail_timeout=2s;"; done
    echo "    keepalive 32;"
    echo "  }"
    echo "  server {"
    echo "    listen $bind:$public;"
    echo "    location / { proxy_pass http://$name; error_page 502 504 = @unavailable; }"
    echo "    location @unavailable {"
    echo "      add_header Retry-After 1 always;"
    echo "      default_type application/problem+json;"
    echo "      return 503 '{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"No instance of this service answered. Retry after the given seconds.\"}';"
    echo "    }"
    echo "  }"
  done
  echo "}"
} > "$prefix/nginx.conf"

"$nginx_bin" -t -q -p "$prefix/" -c nginx.conf >&2
if [[ -f "$prefix/nginx.pid" ]] && kill -0 "$(cat "$prefix/nginx.pid")" 2>/dev/null; then
  "$nginx_bin" -p "$prefix/" -c nginx.conf -s reload >&2
else
  "$nginx_bin" -p "$prefix/" -c nginx.conf >&2
fi
for _ in $(seq 50); do [[ -s "$prefix/nginx.pid" ]] && break; sleep 0.1; done
cat "$prefix/nginx.pid"
