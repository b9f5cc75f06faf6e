#!/usr/bin/env bash
# Starts Tokenwise: PostgreSQL and RabbitMQ (infra/start.sh), then the four services and the console, and waits until every
# /health/ready is green. Ctrl-C stops the services this run started (the databases keep running).
#   ./run.sh            start and stay in the foreground
#   ./run.sh --detach   start, print the URLs, and return (stop later with: kill $(cat .run/pids))
#   ./run.sh --demo     start, feed a simulated company's month (20 engineers, 4 teams), print a report and the
#                       console's address, stay up
#   ./run.sh --instances N   N processes of each service and of the console (1-9) behind nginx on the usual ports;
#                       combines with the rest
#   ./run.sh --ha       the highly available layout: --instances 2 (unless more are asked for) on a three-node RabbitMQ
#                       cluster (infra/rabbitmq-cluster.sh) and a PostgreSQL primary with a synchronous standby
#                       (infra/postgres-standby.sh) instead of the single servers (docs/deployment.md)
# Running it again while the services run is safe: services already answering are left alone.
# Everything listens on loopback; TOKENWISE_BIND=0.0.0.0 (or an address) publishes the services elsewhere.
# Secrets are generated once into .run/ (mode 0600); set the variables to use your own.
set -euo pipefail
cd "$(dirname "$0")"
detach=false
demo=false
ha=false
instances=1
while (($#)); do
  case $1 in
    --detach) detach=true ;;
    --demo) demo=true ;;
    --ha) ha=true ;;
    --instances) instances=${2:-}; shift ;;
    --instances=*) instances=${1#*=} ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
[[ $instances =~ ^[1-9]$ ]] || { echo "--instances takes a number from 1 to 9, not '$instances'" >&2; exit 2; }

rabbitmq_ui=15672
if $ha; then
  ((instances > 1)) || instances=2
  exports=$(infra/postgres-standby.sh start && infra/rabbitmq-cluster.sh start) ||
    { echo "starting the highly available servers failed; see above" >&2; exit 1; }
  rabbitmq_ui=15681
else
  exports=$(infra/start.sh) || { echo "infra/start.sh failed; see above" >&2; exit 1; }
fi
eval "$exports"
source infra/secrets.sh
infra/quorum-upgrade.sh
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

# Where each process listens: with one instance, each service on its own port; with several (--instances N), instance
# k of the service on port P listens on P + 1000 + 100 (k - 1), loopback only, and nginx listens on P for all of them.
# The console runs as N instances too: its sessions and keys are in PostgreSQL, so any instance serves any session.
targets=()
for service in "${order[@]}"; do
  port=${ports[$service]}
  if ((instances == 1)); then
    targets+=("$service:$port:$bind:$service")
  else
    for ((k = 1; k <= instances; k++)); do
      targets+=("$service:$((port + 1000 + 100 * (k - 1))):127.0.0.1:$service-$k")
    done
  fi
done

start_target() {
  local service=$1 port=$2 host=$3 name=$4
  if curl -sf "http://localhost:$port/health/live" >/dev/null 2>&1; then
    echo "$name already answers on :$port; leaving it alone"
    return
  fi
  ASPNETCORE_URLS="http://$host:$port" dotnet "services/$service/bin/Release/net10.0/Tokenwise.$service.dll" \
    > ".run/logs/$name.log" 2>&1 &
  started+=($!)
}
wait_ready() {
  local port=$1 name=$2
  for ((i = 0; i < 120; i++)); do
    curl -sf "http://localhost:$port/health/ready" >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "$name is not ready after 120s; see .run/logs/$name.log" >&2; stop; exit 1
}

$detach || trap 'stop; exit 0' INT TERM
# First instances first: the first to start a service applies its schema changes under a lock, and a second instance
# that waits too long for that lock exits (Weasel's fail-fast; a supervisor would restart it).
for round in first rest; do
  for target in "${targets[@]}"; do
    IFS=: read -r service port host name <<<"$target"
    [[ $service == Console ]] && continue
    later=false; [[ $name == *-[2-9] ]] && later=true
    if [[ $round == first && $later == true ]] || [[ $round == rest && $later == false ]]; then continue; fi
    start_target "$service" "$port" "$host" "$name"
  done
  if [[ $round == first ]] && ((instances > 1)); then
    for target in "${targets[@]}"; do
      IFS=: read -r service port _ name <<<"$target"
      [[ $service == Console || $name == *-[2-9] ]] || wait_ready "$port" "$name"
    done
  fi
done
if ((instances > 1)); then
  balanced=()
  for service in Ingestion Accounting Outcomes Alerting Console; do
    list=()
    for target in "${targets[@]}"; do
      IFS=: read -r s p _ _ <<<"$target"
      if [[ $s == "$service" ]]; then list+=("$p"); fi
    done
    balanced+=("${service,,}=${ports[$service]}:$(IFS=,; echo "${list[*]}")")
  done
  started+=($(infra/load-balancer.sh "$bind" "${balanced[@]}"))
fi
for target in "${targets[@]}"; do
  IFS=: read -r service port _ name <<<"$target"
  [[ $service == Console ]] || wait_ready "$port" "$name"
done
# The console reads the services through their usual ports, so it starts once they (and the balancer) answer.
for target in "${targets[@]}"; do
  IFS=: read -r service port host name <<<"$target"
  if [[ $service == Console ]]; then start_target "$service" "$port" "$host" "$name"; fi
done
for target in "${targets[@]}"; do
  IFS=: read -r service port _ name <<<"$target"
  if [[ $service == Console ]]; then wait_ready "$port" "$name"; fi
done
# Only this run's processes: a second run that started nothing keeps the first run's list.
((${#started[@]})) && printf '%s\n' "${started[@]}" > .run/pids

# The read-only SQL login for data teams (docs/sql.md), once Accounting has made its tables.
psql_admin=${TOKENWISE_PSQL_ADMIN:-}
[[ -n $psql_admin ]] || psql_admin=$(sed -e 's/Host=/host=/; s/Port=/port=/; s/Username=/user=/; s/Password=/password=/; s/Database=/dbname=/; s/SSL Mode=Disable/sslmode=disable/' \
  -e 's/;/ /g' <<<"$TOKENWISE_POSTGRES_ADMIN")
psql "$psql_admin" -q -v password="$(secret sql-reader-password)" -f infra/sql/readonly-role.sql >/dev/null ||
  echo "could not set up the read-only SQL login tokenwise_reader (see above)" >&2

balancer_note=""
((instances > 1)) && balancer_note=$'\n'"  Instances   $instances of each service and of the console behind nginx on the ports above (.run/nginx/nginx.conf); each one's /health/ready names what it leads"
cat <<TXT

Tokenwise is running.
  Console     http://localhost:5100   sign in with an API key (below), or configure your identity provider (docs/console.md)
  Ingestion   http://localhost:5101   API reference: http://localhost:5101/docs
  Accounting  http://localhost:5102   API reference: http://localhost:5102/docs
  Outcomes    http://localhost:5103   API reference: http://localhost:5103/docs
  Alerting    http://localhost:5104   API reference: http://localhost:5104/docs
  RabbitMQ    http://localhost:$rabbitmq_ui  (tokenwise_admin, password in .run/rabbitmq-admin-password)
  SQL         tokenwise_reader on database tokenwise, password in .run/sql-reader-password (docs/sql.md)
  Metrics     /metrics on each service; health at /health/live and /health/ready
  Logs        .run/logs/${balancer_note}

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
