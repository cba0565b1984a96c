#!/usr/bin/env bash
# Starts the Kupe GitOps portal on the embedded Argo CD sandbox: http://localhost:3000
# (backend and sandbox on :7007 and :7008). Installs Node 22 and the dependencies first when needed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
if ! command -v git >/dev/null; then
  echo "git is required (the sandbox keeps real Git repositories)" >&2
  exit 1
fi
yarn install --immutable
exec yarn start app backend-sandbox "$@"
