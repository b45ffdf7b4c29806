#!/usr/bin/env bash
# Regenerates python/flower/fedbiot_app/fedbiot_app/aligner_pb2.py from the aligner proto with the protoc the
# Maven build pins (protobuf.version in fedbiot-bom/pom.xml; run a Maven build once so that it is in ~/.m2).
# The generated module needs a protobuf runtime >= that version (flwr 1.42.0 brings protobuf 6.33.x).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
version="$(sed -n 's:.*<protobuf.version>\(.*\)</protobuf.version>.*:\1:p' "$root/fedbiot-bom/pom.xml")"
protoc="${PROTOC:-$HOME/.m2/repository/com/google/protobuf/protoc/$version/protoc-$version-linux-x86_64.exe}"
out="$root/python/flower/fedbiot_app/fedbiot_app"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
chmod +x "$protoc" 2>/dev/null || true
"$protoc" -I "$root/fedbiot-flower-bridge/src/main/proto" --python_out="$tmp" fedbiot/aligner.proto
mv "$tmp/fedbiot/aligner_pb2.py" "$out/aligner_pb2.py"
echo "wrote $out/aligner_pb2.py (protoc $version)"
