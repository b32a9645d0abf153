#!/usr/bin/env bash
# CI's golden-set gates; non-zero on a regression or a breached floor:
# 1. the 73-case regression set (questions about the report), extractive, against the committed baseline and
#    thresholds, on the report alone (the corpus its baseline was measured on);
# 2. the dev and test splits over the report + related sources, extractive, against measured floors;
# 3. a fixed subset of the test split with the local model, against measured floors.
set -euo pipefail
cd "$(dirname "$0")/.."
. .venv/bin/activate
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
find corpus -maxdepth 1 -type f -exec cp {} "$work/corpus/" \;
assistant eval eval/golden.jsonl --backend extractive --corpus "$work/corpus" --index "$work/index" \
    --baseline eval/baseline-extractive.json --thresholds eval/thresholds.json --out eval/out

# The held-out splits over the real corpus (the report + its related sources), extractive backend, against floors
# set from one measured run (eval/thresholds-dev.json, eval/thresholds-test.json).
related="$work/index-related"
# Starts from the bundled collection's index as the tests built it (scripts/test.sh), if there, brought up to date
# with corpus/ by an incremental ingest: only what differs is embedded.
seed="${TEST_INDEX_SEEDS:-}/bundled"
if [ -n "${TEST_INDEX_SEEDS:-}" ] && [ -f "$seed/done" ]; then
    cp -r "$seed/index" "$related"
    assistant ingest --corpus corpus --index "$related"
fi
for split in dev test; do
    echo "== golden-$split.jsonl (extractive, report + related sources)"
    assistant eval "eval/golden-$split.jsonl" --backend extractive --corpus corpus --index "$related" \
        --thresholds "eval/thresholds-$split.json" --out "eval/out/$split" --quiet
done

# The local model on a fixed subset of the test split: every 8th case (15 cases, chosen by position, not by
# outcome), against eval/thresholds-local.json.
echo "== golden-test.jsonl subset (local model)"
cases=$(python - <<'PY'
import json
ids = [json.loads(line)["id"] for line in open("eval/golden-test.jsonl") if line.strip()]
print(" ".join(f"--case {i}" for i in ids[::8]))
PY
)
# shellcheck disable=SC2086  # one word per --case flag and id
assistant eval eval/golden-test.jsonl --backend local $cases --corpus corpus --index "$related" \
    --thresholds eval/thresholds-local.json --out eval/out/local-subset --quiet
