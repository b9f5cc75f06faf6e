#!/usr/bin/env bash
# Writes .env (mode 0600, never committed) for docker compose from the secrets in .run/, unless .env exists: the
# compose file has no default password and refuses to start without one.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/secrets.sh"
env_file="$here/../.env"
[[ -s $env_file ]] && { echo "[infra] $env_file exists; left as it is"; exit 0; }
umask 077
cat > "$env_file" <<ENV
TOKENWISE_POSTGRES_PASSWORD=$(secret postgres-password)
TOKENWISE_POSTGRES_ADMIN_PASSWORD=$(secret postgres-admin-password)
TOKENWISE_RABBITMQ_PASSWORD=$(secret rabbitmq-password)
TOKENWISE_CONTROL_SECRET=$(secret control-secret)
TOKENWISE_BOOTSTRAP_KEY=$(secret bootstrap-key)
TOKENWISE_GITHUB_SECRET=$(secret github-secret)
TOKENWISE_PAGERDUTY_SECRET=$(secret pagerduty-secret)
ENV
echo "[infra] wrote $env_file from .run/"
