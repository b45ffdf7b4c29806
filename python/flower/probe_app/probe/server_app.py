"""Sends one node four instructions through Flower's Grid: an unknown message type, a train message whose array
is int64 (a float client cannot take it), a valid train message and a `query.config` message (the node answers
with the run config it sees); writes each reply (error code and reason, or the content) as JSON to
`result-file`, in the order sent."""
import json
import os
import time

import numpy as np
from flwr.app import ArrayRecord, ConfigRecord, Context, Message, MetricRecord, RecordDict
from flwr.clientapp import ClientApp
from flwr.serverapp import Grid, ServerApp

app = ServerApp()
client = ClientApp()  # never used: the probed node is a Java SuperNode


def _train(arr):
    return RecordDict({"arrays": ArrayRecord([arr]), "config": ConfigRecord({"server-round": 1})})


@app.main()
def main(grid: Grid, context: Context) -> None:
    deadline = time.time() + 120
    nodes = list(grid.get_node_ids())
    while not nodes and time.time() < deadline:
        time.sleep(0.5)
        nodes = list(grid.get_node_ids())
    node = nodes[0]
    messages = [
        Message(RecordDict({"m": MetricRecord({"a": 1})}), dst_node_id=node, message_type="query.unknown"),
        Message(_train(np.array([1, 2], dtype=np.int64)), dst_node_id=node, message_type="train"),
        Message(_train(np.ones(3, dtype=np.float32)), dst_node_id=node, message_type="train"),
        Message(RecordDict(), dst_node_id=node, message_type="query.config"),
    ]
    ids = list(grid.push_messages(messages))
    replies = {}
    deadline = time.time() + 120
    while len(replies) < len(ids) and time.time() < deadline:
        # Ask only for missing replies: a reply already pulled is gone, and asking again returns a
        # "message unavailable" error for it.
        for r in grid.pull_messages([i for i in ids if i not in replies]):
            replies.setdefault(r.metadata.reply_to_message_id, r)
        time.sleep(0.2)
    out = []
    for mid in ids:
        r = replies.get(mid)
        if r is None:
            out.append({"missing": True})
        elif r.has_error():
            out.append({"error": True, "code": int(r.error.code), "reason": r.error.reason})
        elif "config" in r.content:
            out.append({"error": False, "config": dict(r.content["config"])})
        else:
            out.append({"error": False, "arrays": r.content["arrays"]["0"].numpy().tolist(),
                        "num-examples": int(r.content["metrics"]["num-examples"])})
    path = str(context.run_config["result-file"])
    with open(path + ".tmp", "w") as f:
        json.dump(out, f)
    os.replace(path + ".tmp", path)
