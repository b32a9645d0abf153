#!/usr/bin/env bash
# The 73-case regression set (questions about the report) with the extractive backend against the committed baseline
# and thresholds; non-zero on a regression. It runs on the report alone, the corpus its baseline was measured on:
# the generated related sources (corpus/related/) and uploads (corpus/added/) are left out.
set -euo pipefail
cd "$(dirname "$0")/.."
. .venv/bin/activate
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
find corpus -maxdepth 1 -type f -exec cp {} "$work/corpus/" \;
assistant eval eval/golden.jsonl --backend extractive --corpus "$work/corpus" --index "$work/index" \
    --baseline eval/baseline-extractive.json --thresholds eval/thresholds.json --out eval/out
