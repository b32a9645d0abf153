#!/usr/bin/env bash
# Idempotent set-up on a fresh machine: Python venv, CPU torch, the project with the local model,
# and (with --test) the test tools and Debian's Chromium for browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3

if [ "${1:-}" = "--test" ]; then
    WANT=""
    command -v chromium >/dev/null || WANT="chromium"  # browser tests
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || WANT="$WANT postgresql"  # the two-replica test
    if [ -n "$WANT" ]; then
        echo "== installing Debian packages:$WANT"
        SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
        $SUDO apt-get update -q && $SUDO apt-get install -y -q $WANT
    fi
fi

[ -x .venv/bin/python ] || "$PY" -m venv .venv
. .venv/bin/activate
python -m pip install -q --upgrade pip
# The CPU build of torch first (a local wheel here); otherwise pip pulls a multi-GB CUDA build.
python -c "import torch" 2>/dev/null || pip install -q torch==2.13.0
# llama.cpp built with -march=native uses AMX tiles on CPUs that have them, and this sandbox does not allow them:
# every batched prompt read then segfaults. Build it for this CPU's vector extensions (AVX2, AVX-512 where present;
# AVX-512 reads prompts ~1.5x faster here) without AMX. pip's wheel cache keys on the source, not on these flags,
# hence --no-cache-dir; an installed build whose extensions differ from this CPU's is rebuilt.
has() { grep -qw "$1" /proc/cpuinfo 2>/dev/null; }
LLAMA_FLAGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"
WANT_AVX512=0
if has avx512f && has avx512bw && has avx512vl && has avx512dq && has avx512cd; then
    WANT_AVX512=1
    LLAMA_FLAGS="$LLAMA_FLAGS -DGGML_AVX512=ON"
    has avx512vbmi && LLAMA_FLAGS="$LLAMA_FLAGS -DGGML_AVX512_VBMI=ON"
    has avx512_vnni && LLAMA_FLAGS="$LLAMA_FLAGS -DGGML_AVX512_VNNI=ON"
    has avx512_bf16 && LLAMA_FLAGS="$LLAMA_FLAGS -DGGML_AVX512_BF16=ON"
fi
has avx_vnni && LLAMA_FLAGS="$LLAMA_FLAGS -DGGML_AVX_VNNI=ON"
if ! python -c "import sys, llama_cpp; info = llama_cpp.llama_print_system_info().decode()
sys.exit('AMX' in info or ('AVX512 = 1' in info) != bool($WANT_AVX512))" 2>/dev/null; then
    echo "== building llama-cpp-python for this CPU without AMX (a few minutes)"
    pip uninstall -q -y llama-cpp-python 2>/dev/null || true
    CMAKE_ARGS="$LLAMA_FLAGS" pip install -q --no-cache-dir llama-cpp-python==0.3.36
fi
# All llama-index packages are pinned in pyproject.toml and installed in this one command.
pip install -q -e '.[local,test]'
pip check
# Related sources: the World Factbook profiles of the countries the report names and of Afghanistan's
# neighbours, generated from the pinned package into corpus/related/ (not committed).
[ -f corpus/related/manifest.yaml ] || assistant sources add factbook --related-to next-afghan-jihad --no-ingest
# Join and verify the packaged GGUF once (~1 GB), so the first question does not wait for it.
python -c "from assistant.settings import Settings; from assistant.backends.local import resolve_model_path; print('model:', resolve_model_path(Settings.load()))"
