"""No Python ClientApp: FedBiOT nodes are Java SuperNodes (`fedbiot join`). A Python node refuses training."""
from flwr.app import Context, Message
from flwr.clientapp import ClientApp

app = ClientApp()


@app.train()
def train(msg: Message, context: Context) -> Message:
    raise RuntimeError("FedBiOT nodes run in Java: start them with `fedbiot join --superlink HOST:PORT --config FILE`")
