#!/usr/bin/env bash
# Creates (once) and prints the path of a Python venv with pinned packages, for reference fixtures and
# real-component tests. Usage: tools/python-venv.sh NAME REQUIREMENTS_FILE
# The venv lives in $FEDBIOT_VENV_ROOT/NAME (default: the user cache, ~/.cache/fedbiot/venv/NAME, so that
# clones share it) and is rebuilt when the requirements file changes (its hash is stored in the venv).
set -euo pipefail
name="$1"; req="$2"
base="${FEDBIOT_VENV_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/fedbiot/venv}"
venv="$base/$name"
hash="$(sha256sum "$req" | cut -c1-16)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.requirements-hash" 2>/dev/null)" != "$hash" ]; then
  mkdir -p "$base"
  exec 9>"$base/.$name.lock"; flock 9   # parallel builds must not install into one venv at once
  if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.requirements-hash" 2>/dev/null)" != "$hash" ]; then
    rm -rf "$venv"
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req" >&2
    echo "$hash" > "$venv/.requirements-hash"
  fi
fi
echo "$venv"
