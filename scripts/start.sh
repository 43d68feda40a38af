#!/usr/bin/env bash
# README command 1: set up (idempotent), index seeds/ (only what changed), and serve the app.
set -euo pipefail
cd "$(dirname "$0")/.."
SOURCEQA_SKIP_BROWSER=${SOURCEQA_SKIP_BROWSER:-1} bash scripts/setup.sh
export SOURCEQA_INDEX=${SOURCEQA_INDEX:-$PWD/.sourceqa/index}
.venv/bin/qa index seeds/
if .venv/bin/qa serve --help >/dev/null 2>&1; then
  exec .venv/bin/qa serve "$@"
fi
.venv/bin/qa ask "What did Chemezov say?"
