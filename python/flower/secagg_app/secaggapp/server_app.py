"""ServerApp: Flower's legacy FedAvg in DefaultWorkflow, its fit round run by SecAggPlusWorkflow, unmodified.

Writes the final arrays, the initial ones, the time of each round and the bytes of every message content (by
node and direction, with the node's "impl" fit metric naming Java or Python) as JSON to result-file.
"""
import json
import os
import time

import numpy as np
from flwr.common import Context, ndarrays_to_parameters, parameters_to_ndarrays
from flwr.common.serde import recorddict_to_proto
from flwr.compat.common import recorddict_compat as compat
from flwr.server import Grid, LegacyContext, ServerApp, ServerConfig
from flwr.server.strategy import FedAvg
from flwr.server.workflow import DefaultWorkflow, SecAggPlusWorkflow
from flwr.server.workflow.constant import MAIN_PARAMS_RECORD

app = ServerApp()


def initial_arrays(big: int):
    return [
        (np.arange(6, dtype=np.float32).reshape(2, 3) - 2.5) / 10,
        np.array([0.5, -1.0, 2.0, 4.0], dtype=np.float32),
        np.linspace(-1, 1, big, dtype=np.float32),
    ]


class CountingGrid:
    """A Grid that measures each send_and_receive: content bytes per node and direction, and the time."""

    def __init__(self, grid: Grid) -> None:
        self._grid = grid
        self.bytes = {}
        self.impl = {}
        self.calls = []

    def __getattr__(self, name):
        return getattr(self._grid, name)

    def send_and_receive(self, messages, *args, **kwargs):
        messages = list(messages)
        start = time.perf_counter()
        for m in messages:
            d = self.bytes.setdefault(str(m.metadata.dst_node_id), {"sent": 0, "received": 0})
            d["sent"] += recorddict_to_proto(m.content).ByteSize()
        replies = list(self._grid.send_and_receive(messages, *args, **kwargs))
        self.calls.append(time.perf_counter() - start)
        for r in replies:
            if r.has_content():
                d = self.bytes.setdefault(str(r.metadata.src_node_id), {"sent": 0, "received": 0})
                d["received"] += recorddict_to_proto(r.content).ByteSize()
                metrics = r.content.config_records.get("fitres.metrics")
                if metrics is not None and "impl" in metrics:
                    self.impl[str(r.metadata.src_node_id)] = metrics["impl"]
        return replies


@app.main()
def main(grid: Grid, context: Context) -> None:
    cfg = context.run_config
    nodes = int(cfg["min-nodes"])
    init = initial_arrays(int(cfg["big-array"]))
    strategy = FedAvg(
        fraction_fit=1.0,
        fraction_evaluate=0.0,
        min_fit_clients=nodes,
        min_available_clients=nodes,
        initial_parameters=ndarrays_to_parameters(init),
    )
    rounds = int(cfg["num-server-rounds"])
    legacy = LegacyContext(context=context, config=ServerConfig(num_rounds=rounds), strategy=strategy)
    if bool(cfg["secagg"]):
        timeout = float(cfg["stage-timeout"])
        fit_workflow = SecAggPlusWorkflow(
            num_shares=int(cfg["num-shares"]),
            reconstruction_threshold=int(cfg["reconstruction-threshold"]),
            max_weight=float(cfg["max-weight"]),
            clipping_range=float(cfg["clipping-range"]),
            quantization_range=int(cfg["quantization-range"]),
            modulus_range=int(cfg["modulus-range"]),
            timeout=timeout if timeout > 0 else None,
        )
        workflow = DefaultWorkflow(fit_workflow=fit_workflow)
    else:
        workflow = DefaultWorkflow()
    counting = CountingGrid(grid)
    start = time.perf_counter()
    workflow(counting, legacy)
    elapsed = time.perf_counter() - start
    params = compat.arrayrecord_to_parameters(legacy.state.array_records[MAIN_PARAMS_RECORD], keep_input=True)
    final = parameters_to_ndarrays(params)
    out = {
        "initial": [a.astype(np.float64).ravel().tolist() for a in init],
        "arrays": [a.astype(np.float64).ravel().tolist() for a in final],
        "seconds": elapsed,
        "rounds": rounds,
        "calls": counting.calls,
        "bytes": counting.bytes,
        "impl": counting.impl,
        "fit_history": {str(r): m for r, m in legacy.history.metrics_distributed_fit.items()},
    }
    path = str(cfg["result-file"])
    if path:
        with open(path + ".tmp", "w") as f:
            json.dump(out, f)
        os.replace(path + ".tmp", path)
