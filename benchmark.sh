#!/usr/bin/env bash
# Runs the benchmarks on real PostgreSQL and RabbitMQ and prints a markdown table (see docs/benchmarks.md).
#   ./benchmark.sh          full run (a few minutes)
#   ./benchmark.sh quick    a tenth of the load, to check the command works
#   ./benchmark.sh system 1000000   only the whole system, with a sustained phase of a million events
set -euo pipefail
cd "$(dirname "$0")"
exports=$(infra/start.sh) || { echo "infra/start.sh failed; see above" >&2; exit 1; }
eval "$exports"
dotnet run -c Release --project tests/Benchmarks -- "$@"
