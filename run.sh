#!/usr/bin/env bash
# Starts Tokenwise: PostgreSQL and RabbitMQ (infra/start.sh), then the four services and the console, and waits until every
# /health/ready is green. Ctrl-C stops the services this run started (the databases keep running).
#   ./run.sh            start and stay in the foreground
#   ./run.sh --detach   start, print the URLs, and return (stop later with: kill $(cat .run/pids))
#   ./run.sh --demo     start, feed a simulated company's month (20 engineers, 4 teams), print a report and the
#                       console's address, stay up
# Running it again while the services run is safe: services already answering are left alone.
# Everything listens on loopback; TOKENWISE_BIND=0.0.0.0 (or an address) publishes the services elsewhere.
# Secrets are generated once into .run/ (mode 0600); set the variables to use your own.
set -euo pipefail
cd "$(dirname "$0")"
detach=false
demo=false
for arg in "$@"; do
  case $arg in
    --detach) detach=true ;;
    --demo) demo=true ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

exports=$(infra/start.sh) || { echo "infra/start.sh failed; see above" >&2; exit 1; }
eval "$exports"
source infra/secrets.sh
mkdir -p .run/logs
bind=${TOKENWISE_BIND:-localhost}

export TOKENWISE_BOOTSTRAP_KEY=${TOKENWISE_BOOTSTRAP_KEY:-$(secret bootstrap-key)}
export TOKENWISE_CONTROL_SECRET=${TOKENWISE_CONTROL_SECRET:-$(secret control-secret)}
export TOKENWISE_GITHUB_SECRET=${TOKENWISE_GITHUB_SECRET:-$(secret github-secret)}
export TOKENWISE_PAGERDUTY_SECRET=${TOKENWISE_PAGERDUTY_SECRET:-$(secret pagerduty-secret)}

echo "building..."
dotnet build Platform.sln -c Release -nologo -v quiet | grep -E "error|Build succeeded" | sort -u

# The console reads the four services with its own admin key (issue one for production: docs/console.md).
export TOKENWISE_CONSOLE_KEY=${TOKENWISE_CONSOLE_KEY:-$TOKENWISE_BOOTSTRAP_KEY}

declare -A ports=([Ingestion]=5101 [Accounting]=5102 [Outcomes]=5103 [Alerting]=5104 [Console]=5100)
order=(Accounting Outcomes Alerting Ingestion Console)
started=()
stop() {
  ((${#started[@]})) || return 0
  echo; echo "stopping ${started[*]}"
  for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}

for service in "${order[@]}"; do
  port=${ports[$service]}
  if curl -sf "http://localhost:$port/health/live" >/dev/null 2>&1; then
    echo "$service already answers on :$port; leaving it alone"
    continue
  fi
  ASPNETCORE_URLS="http://$bind:$port" dotnet "services/$service/bin/Release/net10.0/Tokenwise.$service.dll" \
    > ".run/logs/$service.log" 2>&1 &
  started+=($!)
done
# Only this run's services: a second run that started nothing keeps the first run's list.
((${#started[@]})) && printf '%s\n' "${started[@]}" > .run/pids
$detach || trap 'stop; exit 0' INT TERM

for service in "${order[@]}"; do
  port=${ports[$service]}
  for ((i = 0; i < 120; i++)); do
    curl -sf "http://localhost:$port/health/ready" >/dev/null 2>&1 && break
    sleep 1
  done
  curl -sf "http://localhost:$port/health/ready" >/dev/null 2>&1 ||
    { echo "$service is not ready after 120s; see .run/logs/$service.log" >&2; stop; exit 1; }
done

# The read-only SQL login for data teams (docs/sql.md), once Accounting has made its tables.
psql_admin=$(sed -e 's/Host=/host=/; s/Port=/port=/; s/Username=/user=/; s/Password=/password=/; s/Database=/dbname=/; s/SSL Mode=Disable/sslmode=disable/' \
  -e 's/;/ /g' <<<"$TOKENWISE_POSTGRES_ADMIN")
psql "$psql_admin" -q -v password="$(secret sql-reader-password)" -f infra/sql/readonly-role.sql >/dev/null ||
  echo "could not set up the read-only SQL login tokenwise_reader (see above)" >&2

cat <<TXT

Tokenwise is running.
  Console     http://localhost:5100   sign in with an API key (below), or configure your identity provider (docs/console.md)
  Ingestion   http://localhost:5101   API reference: http://localhost:5101/docs
  Accounting  http://localhost:5102   API reference: http://localhost:5102/docs
  Outcomes    http://localhost:5103   API reference: http://localhost:5103/docs
  Alerting    http://localhost:5104   API reference: http://localhost:5104/docs
  RabbitMQ    http://localhost:15672  (tokenwise_admin, password in .run/rabbitmq-admin-password)
  SQL         tokenwise_reader on database tokenwise, password in .run/sql-reader-password (docs/sql.md)
  Metrics     /metrics on each service; health at /health/live and /health/ready
  Logs        .run/logs/

Development admin key (TOKENWISE_BOOTSTRAP_KEY): $TOKENWISE_BOOTSTRAP_KEY
Webhook secrets: GitHub $TOKENWISE_GITHUB_SECRET   PagerDuty $TOKENWISE_PAGERDUTY_SECRET
  (POST /v1/webhooks/github and /v1/webhooks/pagerduty on Ingestion; set the variables to use your own)
TXT

if $demo; then
  echo; echo "Demo: sending a simulated company's last 30 days (tests/Simulator)..."
  dotnet tests/Simulator/bin/Release/net10.0/Tokenwise.Simulator.dll --ingestion http://localhost:5101 --key "$TOKENWISE_BOOTSTRAP_KEY" \
    --github-secret "$TOKENWISE_GITHUB_SECRET" --pagerduty-secret "$TOKENWISE_PAGERDUTY_SECRET" --seed now --engineers 20 --teams 4 --days 30 --report
  echo; echo "See it in the console: http://localhost:5100 (sign in with the development admin key above)"
fi
if $detach; then exit 0; fi
echo "Ctrl-C stops the services."
wait
