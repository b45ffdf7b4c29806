"""ServerApp: Flower's FedAvg wrapped, unmodified, in DifferentialPrivacyClientSide{Fixed,Adaptive}Clipping.

Writes the final arrays, the clipping norm the wrapper ended with and each round's clipping norm as JSON.
"""
import json
import os

import numpy as np
from flwr.app import ArrayRecord, ConfigRecord, Context
from flwr.serverapp import Grid, ServerApp
from flwr.serverapp.strategy import (
    DifferentialPrivacyClientSideAdaptiveClipping,
    DifferentialPrivacyClientSideFixedClipping,
    FedAvg,
)

app = ServerApp()


def initial_arrays() -> ArrayRecord:
    return ArrayRecord([
        np.arange(6, dtype=np.float32).reshape(2, 3) / 10,
        np.array([0.5, -1.0, 2.0, 4.0], dtype=np.float64),
        np.ones((3,), dtype=np.float16),
    ])


@app.main()
def main(grid: Grid, context: Context) -> None:
    cfg = context.run_config
    nodes = int(cfg["min-nodes"])
    inner = FedAvg(fraction_train=1.0, fraction_evaluate=0.0, min_train_nodes=nodes, min_available_nodes=nodes)
    z = float(cfg["noise-multiplier"])
    c = float(cfg["clipping-norm"])
    if cfg["dp"] == "adaptive":
        strategy = DifferentialPrivacyClientSideAdaptiveClipping(inner, z, nodes, initial_clipping_norm=c)
    else:
        strategy = DifferentialPrivacyClientSideFixedClipping(inner, z, c, nodes)
    norms = []
    train = strategy.configure_train

    def recording_configure_train(server_round, arrays, config, grid):
        norms.append(strategy.clipping_norm)  # what this round's instructions carry
        return train(server_round, arrays, config, grid)

    strategy.configure_train = recording_configure_train
    result = strategy.start(grid=grid, initial_arrays=initial_arrays(), train_config=ConfigRecord(),
                            num_rounds=int(cfg["num-server-rounds"]), timeout=float(cfg["round-timeout"]))
    out = {
        "arrays": {
            k: {"dtype": str(a.numpy().dtype), "shape": list(a.numpy().shape),
                "data": a.numpy().astype(np.float64).ravel().tolist()}
            for k, a in result.arrays.items()
        },
        "round_clipping_norms": norms,
        "final_clipping_norm": strategy.clipping_norm,
        "train_metrics": {str(r): dict(m) for r, m in result.train_metrics_clientapp.items()},
    }
    path = str(cfg["result-file"])
    if path:
        with open(path + ".tmp", "w") as f:
            json.dump(out, f)
        os.replace(path + ".tmp", path)
