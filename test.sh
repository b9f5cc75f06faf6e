#!/usr/bin/env bash
# Runs every test on real PostgreSQL and RabbitMQ and ends with one line: "N passed, N failed, N skipped".
#   ./test.sh            all tests
#   ./test.sh --faults   only the fault suite: restarts PostgreSQL and RabbitMQ, so it runs alone (a few minutes)
set -uo pipefail
cd "$(dirname "$0")"

# Captured first: `eval "$(…)"` would succeed whatever start.sh's status.
exports=$(infra/start.sh) || { echo "infra/start.sh failed; see above"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
eval "$exports"

# The console's browser tests drive Debian's Chromium; without it they fail, and say so.
TOKENWISE_CHROMIUM=$(infra/chromium.sh) || echo "could not install chromium: the browser tests will fail" >&2
export TOKENWISE_CHROMIUM

results=$(mktemp -d)
log="$results/test.log"
dotnet build Platform.sln -c Release -nologo -v quiet 2>&1 | tee "$results/build.log" | grep -E "error|Build succeeded" | sort -u
if [[ ${PIPESTATUS[0]} -ne 0 ]]; then
  echo "build failed; see the errors above"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

# Layout is part of the build: CSharpier (pinned in dotnet-tools.json) lays out the code within .editorconfig's
# max_line_length, checked as CI checks it (fix with: dotnet csharpier format .).
format_failed=0
if ! { dotnet tool restore >"$results/format.log" 2>&1 && dotnet csharpier check . >>"$results/format.log" 2>&1; }; then
  grep -v "^$" "$results/format.log" | head -20
  echo "the layout differs from CSharpier's: run dotnet csharpier format ."
  format_failed=1
fi

# The fault suite restarts the servers every test shares, so it never runs beside the others.
filter="Category!=Faults" report=()
# The fault suite's report (faults, recovery times) is its test output, so it is printed.
[[ ${1:-} == --faults ]] && filter="Category=Faults" report=(--logger "console;verbosity=normal")
export TOKENWISE_FAULT_REPORT="$results/fault-report.txt"
# Every browser test saves what it saw beside the test results.
export TOKENWISE_SCREENSHOTS="$results/screenshots"
dotnet test Platform.sln -c Release --no-build -nologo --filter "$filter" --logger "trx" "${report[@]}" \
  --results-directory "$results/trx" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
[[ -f $TOKENWISE_FAULT_REPORT ]] && { echo; echo "Fault report:"; cat "$TOKENWISE_FAULT_REPORT"; echo; }

# Sum the counters of every test project's TRX file: the one closing line CI reads.
passed=0 failed=0 skipped=0 found=0
for trx in "$results"/trx/*.trx; do
  [[ -f $trx ]] || continue
  found=$((found + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  get() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done
failed=$((failed + format_failed))
# A crashed test host writes no results: count it as a failure rather than report a green run.
if [[ $status -ne 0 && $failed -eq 0 ]]; then failed=1; fi
if [[ $found -eq 0 ]]; then failed=$((failed + 1)); fi
[[ -d $TOKENWISE_SCREENSHOTS ]] && echo "Console screenshots: $TOKENWISE_SCREENSHOTS"
echo "$passed passed, $failed failed, $skipped skipped"
[[ $status -eq 0 && $failed -eq 0 ]]
