"""ClientApp of the Python SuperNodes: adds (partition-id + 1) / 10 to every element, with Flower's own mod.

The run config's `dp` picks fixedclipping_mod or adaptiveclipping_mod, each called unmodified.
"""
from flwr.app import ArrayRecord, Context, Message, MetricRecord, RecordDict
from flwr.clientapp import ClientApp
from flwr.clientapp.mod import adaptiveclipping_mod, fixedclipping_mod


def dp_mod(msg: Message, ctxt: Context, call_next):
    mod = adaptiveclipping_mod if ctxt.run_config.get("dp") == "adaptive" else fixedclipping_mod
    return mod(msg, ctxt, call_next)


app = ClientApp()


@app.train(mods=[dp_mod])
def train(msg: Message, context: Context) -> Message:
    pid = int(context.node_config.get("partition-id", 0))
    arrays = msg.content["arrays"].to_numpy_ndarrays()
    new = [(a + (pid + 1) / 10).astype(a.dtype) for a in arrays]
    server_round = int(msg.content["config"]["server-round"])
    metrics = MetricRecord({"train-loss": 1.0 / server_round, "num-examples": 10 * (pid + 1)})
    return Message(content=RecordDict({"arrays": ArrayRecord(new), "metrics": metrics}), reply_to=msg)
