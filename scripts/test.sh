#!/usr/bin/env bash
# Runs every test: type-check, lint, unit and integration tests (jest), and the browser journeys
# (Playwright in Debian's chromium against the portal on the sandbox). Installs what it needs.
# Ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
export CI=true

results=.test-results
rm -rf "$results" && mkdir -p "$results"
failed_steps=()
step() {
  local name=$1; shift
  echo "::: $name"
  if ! "$@"; then failed_steps+=("$name"); fi
}

if ! command -v chromium >/dev/null || ! command -v git >/dev/null; then
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium git >/dev/null
fi

yarn install --immutable || { echo "0 passed, 1 failed"; exit 1; }
step "type-check" yarn tsc
# The public API of every plugin package is reviewed in its report.api.md (API Extractor, as in
# backstage/backstage): the step fails when a report differs from the code, i.e. an export
# changed without `yarn build:api-reports` and a reviewed report diff. It needs the declaration
# output of tsc:full (about 1 min on an idle 2-core machine, reports about 15 s).
step "api reports" bash -c 'yarn tsc:full >/dev/null && yarn build:api-reports:only --ci'
step "lint" yarn backstage-cli repo lint
step "format" yarn prettier --check --loglevel warn '**/*.{ts,tsx,js,cjs,mjs}'
# Redis and PostgreSQL for the scale-out test (two backend replicas sharing them); without
# them that test fails under CI=true, so a failure here also shows as a failed test.
source scripts/services.sh
step "redis and postgresql" kupe_services_start
step "unit and integration tests" yarn backstage-cli repo test --watchAll=false \
  --json --outputFile="$PWD/$results/jest.json"
kupe_services_stop
step "browser journeys" scripts/e2e.sh "$PWD/$results/playwright.json"

node scripts/summarize-tests.js "$results" "${failed_steps[@]}"
