#!/usr/bin/env bash
# Create the environment if needed, install duban with its test and cluster extras, run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test,cluster]'
exec .venv/bin/python -m pytest "$@"
