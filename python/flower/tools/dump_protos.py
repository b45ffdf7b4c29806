"""Prints the .proto sources of the Flower Fleet API from the descriptors of the installed flwr.

Used once per pinned flwr version to refresh fedbiot-flower-bridge/src/main/proto/flwr/proto/:
    python dump_protos.py OUT_DIR
The installed wheel ships only *_pb2.py; this rebuilds the .proto text from their descriptors so the field
numbers, types and names are exactly those of the installed version.
"""
import sys
from pathlib import Path

import flwr
from google.protobuf import descriptor_pb2
from flwr.proto import (error_pb2, fab_pb2, fleet_pb2, heartbeat_pb2, message_pb2, node_pb2,
                        recorddict_pb2, run_pb2, transport_pb2)

HEADER = """// Copyright 2024 Flower Labs GmbH. All Rights Reserved.
//
// Licensed under the Apache License, Version 2.0 (the "License");
// you may not use this file except in compliance with the License.
// You may obtain a copy of the License at
//
//     http://www.apache.org/licenses/LICENSE-2.0
//
// Unless required by applicable law or agreed to in writing, software
// distributed under the License is distributed on an "AS IS" BASIS,
// WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
// See the License for the specific language governing permissions and
// limitations under the License.
// ==============================================================================
//
// Regenerated from the descriptors of flwr=={version} (python/flower/tools/dump_protos.py);
// only the java_* options are added.
"""

T = descriptor_pb2.FieldDescriptorProto
SCALARS = {T.TYPE_DOUBLE: "double", T.TYPE_FLOAT: "float", T.TYPE_INT64: "int64", T.TYPE_UINT64: "uint64",
           T.TYPE_INT32: "int32", T.TYPE_FIXED64: "fixed64", T.TYPE_FIXED32: "fixed32", T.TYPE_BOOL: "bool",
           T.TYPE_STRING: "string", T.TYPE_BYTES: "bytes", T.TYPE_UINT32: "uint32", T.TYPE_SFIXED32: "sfixed32",
           T.TYPE_SFIXED64: "sfixed64", T.TYPE_SINT32: "sint32", T.TYPE_SINT64: "sint64"}


def type_name(f, pkg):
    if f.type in (T.TYPE_MESSAGE, T.TYPE_ENUM):
        n = f.type_name.lstrip(".")
        return n[len(pkg) + 1:] if n.startswith(pkg + ".") else n
    return SCALARS[f.type]


def emit_message(m, pkg, ind, out, scope):
    out.append(f"{ind}message {m.name} {{")
    maps = {n.name: n for n in m.nested_type if n.options.map_entry}
    for n in m.nested_type:
        if not n.options.map_entry:
            emit_message(n, pkg, ind + "  ", out, scope + "." + m.name)
    for e in m.enum_type:
        emit_enum(e, ind + "  ", out)
    real_oneofs = {}
    for f in m.field:
        if f.HasField("oneof_index") and not f.proto3_optional:
            real_oneofs.setdefault(f.oneof_index, []).append(f)
    done = set()
    for f in m.field:
        if f.HasField("oneof_index") and not f.proto3_optional:
            if f.oneof_index in done:
                continue
            done.add(f.oneof_index)
            out.append(f"{ind}  oneof {m.oneof_decl[f.oneof_index].name} {{")
            for g in real_oneofs[f.oneof_index]:
                out.append(f"{ind}    {type_name(g, pkg)} {g.name} = {g.number};")
            out.append(f"{ind}  }}")
            continue
        tn = f.type_name.split(".")[-1]
        if f.label == T.LABEL_REPEATED and tn in maps and f.type == T.TYPE_MESSAGE:
            e = maps[tn]
            out.append(f"{ind}  map<{type_name(e.field[0], pkg)}, {type_name(e.field[1], pkg)}> {f.name} = {f.number};")
            continue
        label = "repeated " if f.label == T.LABEL_REPEATED else ("optional " if f.proto3_optional else "")
        tname = type_name(f, pkg)
        if tname.startswith(m.name + "."):
            tname = tname[len(m.name) + 1:]
        out.append(f"{ind}  {label}{tname} {f.name} = {f.number};")
    out.append(f"{ind}}}")


def emit_enum(e, ind, out):
    out.append(f"{ind}enum {e.name} {{")
    for v in e.value:
        out.append(f"{ind}  {v.name} = {v.number};")
    out.append(f"{ind}}}")


def emit(mod, out_dir):
    fd = descriptor_pb2.FileDescriptorProto()
    mod.DESCRIPTOR.CopyToProto(fd)
    out = [HEADER.format(version=flwr.__version__).rstrip("\n"), "", f'syntax = "{fd.syntax or "proto2"}";', "",
           f"package {fd.package};", ""]
    for d in fd.dependency:
        out.append(f'import "{d}";')
    if fd.dependency:
        out.append("")
    out += ['option java_package = "io.github.fedbiot.flower.proto";', "option java_multiple_files = true;", ""]
    for e in fd.enum_type:
        emit_enum(e, "", out)
        out.append("")
    for m in fd.message_type:
        emit_message(m, fd.package, "", out, "")
        out.append("")
    for s in fd.service:
        out.append(f"service {s.name} {{")
        for me in s.method:
            i = me.input_type.split(".")[-1]
            o = me.output_type.split(".")[-1]
            cs = "stream " if me.client_streaming else ""
            ss = "stream " if me.server_streaming else ""
            out.append(f"  rpc {me.name}({cs}{i}) returns ({ss}{o}) {{}}")
        out.append("}")
        out.append("")
    path = Path(out_dir) / fd.name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out).rstrip("\n") + "\n")
    print(path)


if __name__ == "__main__":
    for m in (error_pb2, fab_pb2, fleet_pb2, heartbeat_pb2, message_pb2, node_pb2, recorddict_pb2, run_pb2,
              transport_pb2):
        emit(m, sys.argv[1])
