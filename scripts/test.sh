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

python -m pytest -q -p no:cacheprovider "$@"
rc=$?
[ $rc -eq 5 ] && { echo "pytest collected no tests"; rc=0; }
[ $rc -eq 0 ] || exit $rc

echo "== golden set (extractive backend) against the committed baseline"
bash scripts/eval-gate.sh
