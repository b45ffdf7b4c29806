"""ServerApp of `fedbiot bench flower-overhead`.

Waits for `min-nodes` nodes, then runs `warmup-rounds` + `rounds` rounds. In each round, for each size in
`sizes-mib`, it sends one `query` message to one node at a time (never two nodes at once, so that the nodes do
not compete for the machine) and waits for its reply; the node order alternates between rounds. Each message
carries an ArrayRecord with one float32 array of the size (fresh random values, so that no object is shared with
an earlier message and Flower's object store cannot skip a transfer). The reply must hold the same array.

Writes JSON to `result-file` (or the error's traceback as `error`): the nodes, and per message its id, node, round, size, whether it was a warm-up
round, the server-side round-trip time and whether the echo matched.
"""
import json
import os
import time
import traceback

import numpy as np
from flwr.app import ArrayRecord, Context, Message, RecordDict
from flwr.serverapp import Grid, ServerApp

app = ServerApp()


def _await_nodes(grid: Grid, wanted: int, timeout: float) -> list[int]:
    deadline = time.time() + timeout
    nodes = sorted(grid.get_node_ids())
    while len(nodes) < wanted:
        if time.time() > deadline:
            raise RuntimeError(f"only {len(nodes)} of {wanted} nodes connected within {timeout} s")
        time.sleep(0.2)
        nodes = sorted(grid.get_node_ids())
    return nodes


def _round_trip(grid: Grid, msg: Message, timeout: float) -> tuple[str, Message, float]:
    t0 = time.perf_counter()
    (mid,) = list(grid.push_messages([msg]))
    deadline = time.time() + timeout
    while True:
        replies = list(grid.pull_messages([mid]))
        if replies:
            return mid, replies[0], time.perf_counter() - t0
        if time.time() > deadline:
            raise RuntimeError(f"no reply to message {mid} within {timeout} s")
        time.sleep(0.02)


def _write(path: str, out: dict) -> None:
    if path:
        with open(path + ".tmp", "w") as f:
            json.dump(out, f, indent=1)
        os.replace(path + ".tmp", path)


@app.main()
def main(grid: Grid, context: Context) -> None:
    cfg = context.run_config
    try:
        _write(str(cfg["result-file"]), _run(grid, cfg))
    except Exception as e:  # the benchmark waits for the file: tell it what went wrong
        _write(str(cfg["result-file"]), {"error": traceback.format_exc()})
        raise e


def _run(grid: Grid, cfg) -> dict:
    sizes = [float(s) for s in str(cfg["sizes-mib"]).split(",") if s.strip()]
    rounds = int(cfg["rounds"])
    warmup = int(cfg["warmup-rounds"])
    timeout = float(cfg["timeout"])
    nodes = _await_nodes(grid, int(cfg["min-nodes"]), timeout)
    rng = np.random.default_rng(int(cfg["seed"]))
    out = {"nodes": [str(n) for n in nodes], "messages": []}
    for r in range(warmup + rounds):
        order = nodes if r % 2 == 0 else list(reversed(nodes))
        for size in sizes:
            for node in order:
                arr = rng.standard_normal(int(size * 2**20) // 4, dtype=np.float32)
                content = RecordDict({"arrays": ArrayRecord([arr])})
                msg = Message(content, dst_node_id=node, message_type="query")
                mid, reply, seconds = _round_trip(grid, msg, timeout)
                ok = (not reply.has_error()) and np.array_equal(reply.content["arrays"]["0"].numpy(), arr)
                out["messages"].append({
                    "message_id": mid, "node_id": str(node), "round": r, "warmup": r < warmup,
                    "size_mib": size, "array_bytes": int(arr.nbytes), "server_round_trip_seconds": seconds,
                    "echo_ok": bool(ok),
                    "error": reply.error.reason if reply.has_error() else None,
                })
    return out
