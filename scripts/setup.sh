#!/usr/bin/env bash
# Idempotent setup: a virtual environment with Sourceqa and its dependencies in .venv,
# plus Debian's chromium for the browser tests. Safe to run again; it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $PY" >&2
  "$PY" -m venv .venv
fi
VPY=.venv/bin/python
stamp=.venv/.sourceqa-installed
want=$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  # torch first and pinned: the local CPU build. An unpinned torch pulls gigabytes of CUDA.
  # pip's config here lists extra local indexes that may not exist; their warnings are noise.
  quiet() { grep -v "is ignored: it is neither a file nor a directory" || true; }
  "$VPY" -m pip install --quiet --upgrade pip 2>&1 | quiet
  "$VPY" -m pip install --quiet "torch==2.13.0" 2>&1 | quiet
  "$VPY" -m pip install --quiet -e ".[dev]" 2>&1 | quiet
  "$VPY" -c "import torch, sentence_transformers, faiss, gradio, spacy" || { echo "setup: install failed" >&2; exit 1; }
  echo "$want" > "$stamp"
fi
if [ "${SOURCEQA_SKIP_BROWSER:-}" != "1" ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    echo "setup: installing Debian chromium for the browser tests" >&2
    apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null
  else
    echo "setup: chromium missing; browser tests will be skipped (sudo apt-get install chromium)" >&2
  fi
fi
