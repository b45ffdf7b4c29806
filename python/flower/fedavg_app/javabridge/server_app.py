"""ServerApp: Flower's FedAvg, unmodified, for `num-server-rounds` rounds; writes the final arrays as JSON.

The initial arrays cover the dtypes the Java bridge must handle (float32, float64, float16 of several shapes).
"""
import json

import numpy as np
from flwr.app import ArrayRecord, Context
from flwr.serverapp import Grid, ServerApp
from flwr.serverapp.strategy import FedAvg

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
    strategy = FedAvg(
        fraction_train=1.0,
        fraction_evaluate=float(cfg["fraction-evaluate"]),
        min_train_nodes=nodes,
        min_evaluate_nodes=nodes,
        min_available_nodes=nodes,
    )
    result = strategy.start(grid=grid, initial_arrays=initial_arrays(),
                            num_rounds=int(cfg["num-server-rounds"]),
                            timeout=float(cfg.get("round-timeout", 600)))
    out = {
        "arrays": {
            k: {"dtype": str(a.numpy().dtype), "shape": list(a.numpy().shape),
                "data": a.numpy().astype(np.float64).ravel().tolist()}
            for k, a in result.arrays.items()
        },
        "train_metrics": {str(r): dict(m) for r, m in result.train_metrics_clientapp.items()},
        "evaluate_metrics": {str(r): dict(m) for r, m in result.evaluate_metrics_clientapp.items()},
    }
    path = str(cfg["result-file"])
    if path:
        with open(path + ".tmp", "w") as f:
            json.dump(out, f)
        import os
        os.replace(path + ".tmp", path)
