"""ServerApp: one of Flower's robust strategies, unmodified, over `num-server-rounds`; writes the final arrays as JSON.

The initial arrays cover the dtypes the Java bridge must handle (float32, float64, float16 of several shapes).
"""
import json
import os

import numpy as np
from flwr.app import ArrayRecord, Context
from flwr.serverapp import Grid, ServerApp
from flwr.serverapp.strategy import Bulyan, FedMedian, FedTrimmedAvg, Krum, MultiKrum

app = ServerApp()


def initial_arrays() -> ArrayRecord:
    return ArrayRecord([
        np.arange(6, dtype=np.float32).reshape(2, 3) / 10,
        np.array([0.5, -1.0, 2.0, 4.0], dtype=np.float64),
        np.ones((3,), dtype=np.float16),
    ])


def strategy(cfg):
    name = str(cfg["strategy"]).lower()
    nodes = int(cfg["min-nodes"])
    common = dict(fraction_train=1.0, fraction_evaluate=0.0, min_train_nodes=nodes, min_available_nodes=nodes)
    malicious = int(cfg["num-malicious-nodes"])
    if name == "fedmedian":
        return FedMedian(**common)
    if name == "fedtrimmedavg":
        return FedTrimmedAvg(beta=float(cfg["beta"]), **common)
    if name == "krum":
        return Krum(num_malicious_nodes=malicious, **common)
    if name == "multikrum":
        return MultiKrum(num_malicious_nodes=malicious, num_nodes_to_select=int(cfg["num-nodes-to-keep"]), **common)
    if name == "bulyan":
        return Bulyan(num_malicious_nodes=malicious, **common)
    raise ValueError(f"strategy: unknown '{name}' (fedmedian, fedtrimmedavg, krum, multikrum, bulyan)")


@app.main()
def main(grid: Grid, context: Context) -> None:
    cfg = context.run_config
    result = strategy(cfg).start(grid=grid, initial_arrays=initial_arrays(),
                                 num_rounds=int(cfg["num-server-rounds"]),
                                 timeout=float(cfg.get("round-timeout", 600)))
    out = {"arrays": {k: {"dtype": str(a.numpy().dtype), "shape": list(a.numpy().shape),
                          "data": a.numpy().astype(np.float64).ravel().tolist()}
                      for k, a in result.arrays.items()}}
    path = str(cfg["result-file"])
    if path:
        with open(path + ".tmp", "w") as f:
            json.dump(out, f)
        os.replace(path + ".tmp", path)
