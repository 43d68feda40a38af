#!/usr/bin/env bash
# README command 2: set up (idempotent, chromium included) and run the tests.
# Locally: the fast suite. With CI=true (as .ci/run sets): the slow end-to-end tests too.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ "${CI:-}" = "true" ]; then
  exec .venv/bin/python -m pytest -m "" -q "$@"
fi
exec .venv/bin/python -m pytest -q "$@"
