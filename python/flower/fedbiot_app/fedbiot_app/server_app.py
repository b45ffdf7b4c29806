"""ServerApp of FedBiOT over Flower: a thin shell around the Java emulator aligner, which validates and aggregates
each round's updates, and Flower's FedAvg, which samples the nodes.

Run config (pyproject.toml): aligner-address or aligner-command (with aligner-java-opts), num-server-rounds,
min-nodes, min-replies, fraction-train, round-timeout, aligner-max-message-mb, aligner-startup-timeout,
result-file; how the aligner is reached: aligner-root-certificates (TLS), aligner-client-cert and aligner-client-key
(mutual TLS), aligner-token-file (or FEDBIOT_ALIGNER_TOKEN), aligner-insecure (plain text). A round with fewer successful replies, or fewer updates the aligner accepts, than min-replies fails
the run (the strategy raises), so no final adapter is written.
"""
import json
import os
from logging import INFO

from flwr.app import Context
from flwr.common.logger import log
from flwr.serverapp import Grid, ServerApp

from .aligner import AlignerClient, AlignerProcess, AlignerSecurity
from .strategy import FedBiOT

app = ServerApp()


@app.main()
def main(grid: Grid, context: Context) -> None:
    cfg = context.run_config
    startup = float(cfg.get("aligner-startup-timeout", 600))
    max_bytes = int(cfg.get("aligner-max-message-mb", 512)) * 1024 * 1024
    command = str(cfg.get("aligner-command", "")).strip()
    security = AlignerSecurity.from_run_config(cfg)  # before starting anything: a bad setting fails at once
    process = AlignerProcess(command, startup, str(cfg.get("aligner-java-opts", ""))) if command else None
    try:
        address = process.address if process else str(cfg["aligner-address"])
        aligner = AlignerClient(address, max_bytes, startup, security)
        try:
            run(grid, cfg, aligner)
        finally:
            aligner.close()
    finally:
        if process:
            process.close()


def run(grid: Grid, cfg, aligner: AlignerClient) -> None:
    adapter, emulator, aligner_rounds, algorithm = aligner.initial_state()
    rounds = int(cfg.get("num-server-rounds", 0)) or aligner_rounds
    nodes = int(cfg.get("min-nodes", 2))
    min_replies = int(cfg.get("min-replies", 0)) or nodes
    log(INFO, "[fedbiot] %s over Flower: %d rounds, aligner %s, adapter LoRA %d tensors, emulator LoRA %d tensors",
        algorithm, rounds, aligner.address, len(adapter), len(emulator))
    emulator = aligner.pre_align()
    strategy = FedBiOT(aligner, emulator, rounds, min_replies,
                       fraction_train=float(cfg.get("fraction-train", 1.0)),
                       min_train_nodes=nodes, min_available_nodes=nodes)
    result = strategy.start(grid=grid, initial_arrays=adapter, num_rounds=rounds,
                            timeout=float(cfg.get("round-timeout", 3600)))
    output = strategy.output  # the last round's aggregate_train called the aligner's Finish
    log(INFO, "[fedbiot] finished; final adapter and emulator LoRA in %s", output or "(aligner has no output dir)")
    path = str(cfg.get("result-file", ""))
    if path:
        out = {"rounds": rounds, "algorithm": algorithm, "output": output,
               "train_metrics": {str(r): dict(m) for r, m in result.train_metrics_clientapp.items()}}
        with open(path + ".tmp", "w") as f:
            json.dump(out, f)
        os.replace(path + ".tmp", path)
