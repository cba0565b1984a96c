#!/usr/bin/env bash
# Browser journeys: builds the app, starts the backend (which serves the built app and the
# embedded sandbox) on :7007, runs Playwright in Debian's chromium, stops the backend.
# Usage: scripts/e2e.sh [json-report-file] [playwright test options, e.g. --retries=0]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
report=${1:-$PWD/.test-results/playwright.json}
shift || true
mkdir -p "$(dirname "$report")"

yarn workspace app build >/tmp/kupe-app-build.log 2>&1 || { tail -50 /tmp/kupe-app-build.log; exit 1; }

if curl -fsS http://localhost:7007/.backstage/health/v1/readiness >/dev/null 2>&1; then
  echo "Something already serves :7007; stop it first (the journeys need a fresh sandbox)." >&2
  exit 1
fi
log=$(mktemp)
# The backend runs as `backstage-cli package start` runs it (node with the CLI's TypeScript
# loader, NODE_ENV defaulting to development) but without the CLI's file watcher, which would
# restart the backend, and so reseed the sandbox, when someone edits a source file mid-run.
transform=$(cd packages/backend-sandbox && node -p \
  "require.resolve('@backstage/cli-node/config/nodeTransform.cjs', {paths: [require.resolve('@backstage/cli-module-build')]})")
# its own process group, so the cleanup stops this backend and its children and nothing else
NODE_ENV=${NODE_ENV:-development} setsid bash -c \
  'cd packages/backend-sandbox && exec node --enable-source-maps --require "$0" src/index' "$transform" \
  >"$log" 2>&1 &
backend=$!
cleanup() {
  local rc=$?
  set +e # the stopped backend's own exit status must not become this script's
  kill -TERM -- -"$backend" 2>/dev/null
  wait "$backend" 2>/dev/null
  exit "$rc"
}
trap cleanup EXIT

for _ in $(seq 1 120); do
  if curl -fsS http://localhost:7007/.backstage/health/v1/readiness >/dev/null 2>&1; then break; fi
  if ! kill -0 $backend 2>/dev/null; then echo "backend exited:"; tail -50 "$log"; exit 1; fi
  sleep 1
done
curl -fsS http://localhost:7007/.backstage/health/v1/readiness >/dev/null || { tail -50 "$log"; exit 1; }

# When a journey fails, the backend's warnings and errors are what explains it in a CI log
# (the screenshots stay on the CI machine).
if ! PLAYWRIGHT_JSON_OUTPUT_NAME="$report" yarn playwright test "$@"; then
  echo "::: the backend's last warnings and errors"
  sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^[0-9TZ:.-]+ [A-Za-z-]+ (warn|error) ' | tail -40 | cut -c1-400
  exit 1
fi
