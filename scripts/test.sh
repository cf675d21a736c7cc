#!/usr/bin/env bash
# The test command: build, make the lab ready (idempotent), run unit + integration tests,
# and end with one plain "N passed, N failed" line (scripts/test-summary.js) counting
# everything that ran: a failed hook or test file counts as failed, and no test at all fails.
set -euo pipefail
cd "$(dirname "$0")/.."
# A failed build or lab is a failure with that line too, not a missing one.
trap 'echo "setup failed before any test ran (line $LINENO)" >&2; echo "0 passed, 1 failed"; exit 1' ERR
npm run --silent build
bash test/lab/build.sh
trap - ERR
results="$(mktemp /tmp/vprov-vitest.XXXXXX.json)"
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$results" "$@" || status=$?
summary=0
node scripts/test-summary.js "$results" || summary=$?
rm -f "$results"
if [ "$status" -eq 0 ] && [ "$summary" -ne 0 ]; then status=$summary; fi
exit "$status"
