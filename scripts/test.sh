#!/usr/bin/env bash
# The test command: build, make the lab ready (idempotent), run unit + integration tests,
# and end with one plain "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build
bash test/lab/build.sh
results="$(mktemp /tmp/vprov-vitest.XXXXXX.json)"
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$results" "$@" || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$results" || true
rm -f "$results"
exit "$status"
