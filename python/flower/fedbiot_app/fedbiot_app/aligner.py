"""Client of the Java emulator aligner (fedbiot.aligner.v1.EmulatorAligner, see aligner.proto)."""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import threading
import time
from dataclasses import dataclass
from logging import INFO, WARNING

import grpc
import numpy as np
from flwr.app import Array, ArrayRecord
from flwr.common.logger import log

from . import aligner_pb2 as pb

_SERVICE = "/fedbiot.aligner.v1.EmulatorAligner/"
_LISTENING = re.compile(r"aligner listening on (\S+:\d+)")


def to_tensor_set(record: ArrayRecord) -> pb.TensorSet:
    """ArrayRecord -> TensorSet (float32 little-endian bytes, names and shapes kept)."""
    out = pb.TensorSet()
    for name, array in record.items():
        a = np.ascontiguousarray(array.numpy(), dtype="<f4")
        out.tensors.add(name=name, shape=list(a.shape), data=a.tobytes())
    return out


def from_tensor_set(tensors: pb.TensorSet) -> ArrayRecord:
    """TensorSet -> ArrayRecord of float32 arrays, in order."""
    arrays = {}
    for t in tensors.tensors:
        a = np.frombuffer(t.data, dtype="<f4").reshape(tuple(t.shape)).astype(np.float32)
        arrays[t.name] = Array(a)
    return ArrayRecord(arrays)


@dataclass(frozen=True)
class Update:
    """One node's successful reply of a round: what the aligner validates and aggregates."""
    node_id: str
    adapter: ArrayRecord
    num_examples: int


@dataclass(frozen=True)
class Aggregation:
    """What the aligner made of a round's updates: the new global adapter (FedAvg of the accepted updates weighted
    by num-examples), the accepted node ids and, per rejected node id, why."""
    adapter: ArrayRecord
    accepted: list[str]
    rejected: dict[str, str]
    samples: int


def _node_updates(updates: list[Update]) -> list[pb.NodeUpdate]:
    return [pb.NodeUpdate(node_id=u.node_id, num_examples=u.num_examples, adapter_lora=to_tensor_set(u.adapter))
            for u in updates]


def _aggregation(a: pb.Aggregation) -> Aggregation:
    return Aggregation(from_tensor_set(a.adapter_lora), list(a.accepted), {r.node_id: r.reason for r in a.rejected},
                       a.samples)


def _config_value(v: pb.ConfigValue):
    kind = v.WhichOneof("kind")
    if kind == "int_list":
        return [int(x) for x in v.int_list.values]
    if kind == "string_list":
        return list(v.string_list.values)
    if kind is None:
        raise ValueError("aligner sent a config value without a kind")
    return getattr(v, kind)


@dataclass(frozen=True)
class AlignerSecurity:
    """How the ServerApp reaches the aligner: TLS trusting root_certificates (PEM bytes), optionally with a client
    certificate (mutual TLS), and/or the aligner's bearer token; plain text only with insecure=True."""
    root_certificates: bytes | None = None
    certificate_chain: bytes | None = None
    private_key: bytes | None = None
    token: str | None = None
    insecure: bool = False

    def __post_init__(self) -> None:
        if self.insecure and self.root_certificates is not None:
            raise ValueError("aligner-insecure and aligner-root-certificates exclude each other")
        if not self.insecure and self.root_certificates is None:
            raise ValueError("the aligner is reached over TLS: set aligner-root-certificates (the CA of the aligner's "
                             "--tls-cert), or aligner-insecure = true for a plain-text aligner on loopback")
        if (self.certificate_chain is None) != (self.private_key is None):
            raise ValueError("aligner-client-cert and aligner-client-key go together")
        if self.insecure and self.certificate_chain is not None:
            raise ValueError("a client certificate needs TLS (aligner-insecure is set)")

    def __repr__(self) -> str:  # never show the token or the key
        return (f"AlignerSecurity(tls={not self.insecure}, client_cert={self.certificate_chain is not None}, "
                f"token={'set' if self.token else 'none'})")

    @staticmethod
    def from_run_config(cfg) -> "AlignerSecurity":
        """Reads aligner-root-certificates, aligner-client-cert, aligner-client-key, aligner-token-file (else the
        FEDBIOT_ALIGNER_TOKEN environment variable) and aligner-insecure."""
        def read(key: str) -> bytes | None:
            path = str(cfg.get(key, "")).strip()
            if not path:
                return None
            try:
                with open(path, "rb") as f:
                    return f.read()
            except OSError as e:
                raise ValueError(f"{key}: cannot read {path} ({type(e).__name__})") from None

        token_file = read("aligner-token-file")
        token = token_file.decode("ascii").strip() if token_file is not None else os.environ.get(
            "FEDBIOT_ALIGNER_TOKEN", "").strip()
        return AlignerSecurity(read("aligner-root-certificates"), read("aligner-client-cert"),
                               read("aligner-client-key"), token or None, bool(cfg.get("aligner-insecure", False)))


class AlignerClient:
    """Calls the aligner; every call raises grpc.RpcError with the aligner's message on refusal (UNAUTHENTICATED for
    a missing or wrong token, RESOURCE_EXHAUSTED for a message over a size limit)."""

    def __init__(self, address: str, max_message_bytes: int, ready_timeout: float,
                 security: AlignerSecurity) -> None:
        opts = [("grpc.max_send_message_length", max_message_bytes),
                ("grpc.max_receive_message_length", max_message_bytes)]
        self.address = address
        if security.insecure:
            self._channel = grpc.insecure_channel(address, options=opts)
        else:
            credentials = grpc.ssl_channel_credentials(root_certificates=security.root_certificates,
                                                       private_key=security.private_key,
                                                       certificate_chain=security.certificate_chain)
            self._channel = grpc.secure_channel(address, credentials, options=opts)
        # Sent on every call as gRPC's access_token_call_credentials would, also over a loopback plain-text channel.
        metadata = (("authorization", "Bearer " + security.token),) if security.token else None
        try:
            grpc.channel_ready_future(self._channel).result(timeout=ready_timeout)
        except grpc.FutureTimeoutError as e:
            self._channel.close()
            raise RuntimeError(f"the FedBiOT aligner at {address} did not accept "
                               f"{'plain-text' if security.insecure else 'TLS'} connections within {ready_timeout} s "
                               f"(start it with `fedbiot flower-server --config FILE`; a TLS aligner needs the "
                               f"ServerApp's aligner-root-certificates, a plain-text one aligner-insecure = true)"
                               ) from None

        def rpc(name, reply):
            call = self._channel.unary_unary(_SERVICE + name, request_serializer=lambda m: m.SerializeToString(),
                                             response_deserializer=reply.FromString)
            return lambda request: call(request, metadata=metadata)

        self._initial = rpc("GetInitialState", pb.InitialStateReply)
        self._pre_align = rpc("PreAlign", pb.AlignReply)
        self._align = rpc("Align", pb.AlignReply)
        self._round_config = rpc("GetRoundConfig", pb.RoundConfigReply)
        self._finish = rpc("Finish", pb.FinishReply)

    def initial_state(self) -> tuple[ArrayRecord, ArrayRecord, int, str]:
        r = self._initial(pb.InitialStateRequest())
        return from_tensor_set(r.adapter_lora), from_tensor_set(r.emulator_lora), r.rounds, r.algorithm

    def pre_align(self) -> ArrayRecord:
        r = self._pre_align(pb.PreAlignRequest())
        log(INFO, "[aligner] pre-aligned the emulator: %d steps, NL2 %.5f, KL %.5f", r.steps, r.mean_nl2, r.mean_kl)
        return from_tensor_set(r.emulator_lora)

    def align(self, server_round: int, updates: list[Update],
              min_accepted: int) -> tuple[Aggregation, ArrayRecord]:
        """Aggregates the updates of round server_round - 1 and aligns the emulator to the aggregate; returns the
        aggregation and the emulator LoRA of round server_round. Fewer than min_accepted accepted updates: the
        aligner refuses (grpc.RpcError, INVALID_ARGUMENT) and changes nothing."""
        r = self._align(pb.AlignRequest(round=server_round, updates=_node_updates(updates), min_accepted=min_accepted))
        log(INFO, "[aligner] aligned the emulator for round %d: %d steps, NL2 %.5f, KL %.5f", server_round, r.steps,
            r.mean_nl2, r.mean_kl)
        return _aggregation(r.aggregation), from_tensor_set(r.emulator_lora)

    def round_config(self, server_round: int) -> dict:
        r = self._round_config(pb.RoundConfigRequest(round=server_round))
        return {k: _config_value(v) for k, v in sorted(r.config.items())}

    def finish(self, rounds: int, updates: list[Update], min_accepted: int) -> tuple[Aggregation, str]:
        """Aggregates the last round's updates into the final adapter, which the aligner writes; returns the
        aggregation and the output directory ("" when the aligner has none). Refuses as align() does."""
        r = self._finish(pb.FinishRequest(rounds=rounds, updates=_node_updates(updates), min_accepted=min_accepted))
        return _aggregation(r.aggregation), r.output

    def close(self) -> None:
        self._channel.close()


class AlignerProcess:
    """An aligner the ServerApp starts itself (`aligner-command`); stopped by close()."""

    def __init__(self, command: str, timeout: float, java_opts: str = "") -> None:
        log(INFO, "[aligner] starting: %s%s", command, f" (FEDBIOT_JAVA_OPTS={java_opts})" if java_opts else "")
        env = dict(os.environ)
        if java_opts:
            env["FEDBIOT_JAVA_OPTS"] = java_opts  # read by bin/fedbiot: the aligner's heap and other JVM options
        self._proc = subprocess.Popen(shlex.split(command), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                      text=True, bufsize=1, env=env)
        found: list[str] = []
        ready = threading.Event()

        def pump() -> None:
            for line in self._proc.stdout:
                if not found:
                    m = _LISTENING.search(line)
                    if m:
                        found.append(m.group(1))
                        ready.set()
                log(INFO, "[aligner] %s", line.rstrip())
            ready.set()

        threading.Thread(target=pump, daemon=True).start()
        deadline = time.monotonic() + timeout
        while not ready.wait(0.5):
            if time.monotonic() > deadline:
                self.close()
                raise RuntimeError(f"the aligner did not report 'aligner listening on HOST:PORT' within {timeout} s")
        if not found:
            code = self._proc.wait()
            raise RuntimeError(f"the aligner command exited with {code} before listening: {command}")
        self.address = found[0]

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                log(WARNING, "[aligner] did not stop within 30 s; killing it")
                self._proc.kill()
                self._proc.wait()
