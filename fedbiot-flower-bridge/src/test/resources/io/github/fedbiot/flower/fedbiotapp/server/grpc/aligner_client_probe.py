"""Drives the ServerApp's aligner client (fedbiot_app.aligner) against a running Java aligner and prints one JSON
object: what each way of connecting got. Arguments: app dir, aligner address, CA file, token file."""
import json
import sys

sys.path.insert(0, sys.argv[1])
import grpc  # noqa: E402

from fedbiot_app.aligner import AlignerClient, AlignerSecurity  # noqa: E402

address, ca, token_file = sys.argv[2], sys.argv[3], sys.argv[4]
out = {}


def attempt(name, cfg, timeout=20.0):
    try:
        client = AlignerClient(address, 1 << 20, timeout, AlignerSecurity.from_run_config(cfg))
        try:
            out[name] = "ok " + client.initial_state()[3]
        finally:
            client.close()
    except grpc.RpcError as e:
        out[name] = f"rpc {e.code().name}: {e.details()}"
    except (ValueError, RuntimeError) as e:
        out[name] = f"{type(e).__name__}: {e}"


attempt("tls_token", {"aligner-root-certificates": ca, "aligner-token-file": token_file})
attempt("tls_no_token", {"aligner-root-certificates": ca})
with open(sys.argv[5], "w") as f:
    f.write("a-wrong-token-of-enough-length\n")
attempt("tls_wrong_token", {"aligner-root-certificates": ca, "aligner-token-file": sys.argv[5]})
attempt("no_tls_setting", {"aligner-token-file": token_file})
attempt("plain_to_tls", {"aligner-insecure": True, "aligner-token-file": token_file}, timeout=3.0)
out["repr"] = repr(AlignerSecurity.from_run_config({"aligner-root-certificates": ca, "aligner-token-file": token_file}))
print(json.dumps(out))
