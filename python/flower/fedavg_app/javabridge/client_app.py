"""ClientApp for Python SuperNodes in mixed federations: a NumPy-style client that adds (partition-id + 1) / 10."""
from flwr.app import ArrayRecord, Context, Message, MetricRecord, RecordDict
from flwr.clientapp import ClientApp

app = ClientApp()


@app.train()
def train(msg: Message, context: Context) -> Message:
    pid = int(context.node_config.get("partition-id", 0))
    arrays = msg.content["arrays"].to_numpy_ndarrays()
    new = [(a + (pid + 1) / 10).astype(a.dtype) for a in arrays]
    server_round = int(msg.content["config"]["server-round"])
    # Same metric keys as the Java test client: FedAvg requires one key set across all replies.
    metrics = MetricRecord({"train-loss": 1.0 / server_round, "num-examples": 10 * (pid + 1)})
    content = RecordDict({"arrays": ArrayRecord(new), "metrics": metrics})
    return Message(content=content, reply_to=msg)


@app.evaluate()
def evaluate(msg: Message, context: Context) -> Message:
    content = RecordDict({"metrics": MetricRecord({"num-examples": 1, "loss": 0.0})})
    return Message(content=content, reply_to=msg)
