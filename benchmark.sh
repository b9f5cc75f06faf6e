#!/usr/bin/env bash
# Runs the benchmarks on real PostgreSQL and RabbitMQ and prints a markdown table (see docs/benchmarks.md).
#   ./benchmark.sh          full run (a few minutes)
#   ./benchmark.sh quick    a tenth of the load, to check the command works
#   ./benchmark.sh system 1000000   only the whole system, with a sustained phase of a million events
#   ./benchmark.sh console          only the console's pages over three million stored events (about 15 minutes)
set -euo pipefail
cd "$(dirname "$0")"
exports=$(infra/start.sh) || { echo "infra/start.sh failed; see above" >&2; exit 1; }
eval "$exports"
# The services run as processes from their Release builds; the console is not a dependency of the benchmarks.
dotnet build services/Console -c Release -nologo -v quiet >/dev/null
dotnet run -c Release --project tests/Benchmarks -- "$@"
