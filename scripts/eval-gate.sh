#!/usr/bin/env bash
# The golden set with the extractive backend against the committed baseline and thresholds; non-zero on a regression.
set -euo pipefail
cd "$(dirname "$0")/.."
. .venv/bin/activate
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ASSISTANT_INDEX_DIR="$work/index" assistant eval eval/golden.jsonl --backend extractive \
    --baseline eval/baseline-extractive.json --thresholds eval/thresholds.json --out eval/out
