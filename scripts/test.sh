#!/usr/bin/env bash
# Installs everything (see install.sh), then lints (ruff, mypy; either failing fails the run), runs the whole
# test suite and the golden-set gate.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --test || exit 1
. .venv/bin/activate
echo "== ruff check"
ruff check . || exit 1
echo "== mypy"
mypy || exit 1

export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1 GRADIO_ANALYTICS_ENABLED=False ANONYMIZED_TELEMETRY=False

# Two workers (pytest-xdist), one test file at a time each: much of the suite waits on servers and a browser.
# Indexes every test starts from are built once, shared by the workers and the gate (tests/fixtures/indexes.py).
TEST_INDEX_SEEDS=$(mktemp -d)
export TEST_INDEX_SEEDS
trap 'rm -rf "$TEST_INDEX_SEEDS"' EXIT
python -m pytest -q -p no:cacheprovider -n 2 --dist loadfile --no-loadscope-reorder "$@"
rc=$?
[ $rc -eq 5 ] && { echo "pytest collected no tests"; rc=0; }
[ $rc -eq 0 ] || exit $rc

echo "== golden set (extractive backend) against the committed baseline"
bash scripts/eval-gate.sh
