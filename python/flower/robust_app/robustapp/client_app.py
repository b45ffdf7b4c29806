"""This FAB is for Java SuperNodes, which do not run Python ClientApps; a Python node that loads it says so."""
from flwr.app import Context, Message
from flwr.clientapp import ClientApp

app = ClientApp()


@app.train()
def train(msg: Message, context: Context) -> Message:
    raise RuntimeError("robustapp has no Python ClientApp: its nodes are Java SuperNodes (TensorClient)")
