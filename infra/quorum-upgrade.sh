#!/usr/bin/env bash
# Tokenwise's durable queues are quorum queues. A broker that still holds them as classic queues (made before that
# change) would refuse the services' declarations in the services' virtual host, so ./run.sh runs this first: empty classic queues of the services
# are deleted (the services declare them again as quorum queues); a classic queue that still holds messages stops the
# start with what to do, because deleting it would lose them.
# Needs TOKENWISE_RABBITMQ_MANAGEMENT (infra/start.sh prints it).
set -euo pipefail
[[ -n ${TOKENWISE_RABBITMQ_MANAGEMENT:-} ]] || exit 0
api=${TOKENWISE_RABBITMQ_MANAGEMENT%/}/api
queues=$(curl -sf "$api/queues?columns=name,vhost,type,durable,messages" || true)
[[ -n $queues ]] || exit 0
python3 - "$queues" "${TOKENWISE_RABBITMQ:-}" <<'PY' | while IFS=$'\t' read -r vhost name messages; do
import json, sys, urllib.parse
# Only the virtual host the services use (TOKENWISE_RABBITMQ's path; "/" when it has none): others are not ours.
ours = urllib.parse.unquote(urllib.parse.urlparse(sys.argv[2]).path[1:]) or "/"
for q in json.loads(sys.argv[1]):
    if q["vhost"] != ours:
        continue
    service = q["name"].split("-", 1)[0]
    if q.get("type") == "classic" and q.get("durable") and service in ("ingestion", "accounting", "outcomes", "alerting"):
        print(urllib.parse.quote(q["vhost"], safe=""), q["name"], q.get("messages") or 0, sep="\t")
PY
  if ((messages > 0)); then
    echo "[infra] the classic queue $name holds $messages message(s); Tokenwise now declares quorum queues." >&2
    echo "[infra] Let the services of the previous version drain it (or move its messages), then start again." >&2
    exit 1
  fi
  curl -sf -X DELETE "$api/queues/$vhost/$(python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1],safe=""))' "$name")" >/dev/null
  echo "[infra] deleted the empty classic queue $name (declared again as a quorum queue)" >&2
done
