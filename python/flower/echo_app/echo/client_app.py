"""ClientApp of the Python SuperNode: replies with the instruction's ArrayRecord, unchanged (no training)."""
from flwr.app import Context, Message, RecordDict
from flwr.clientapp import ClientApp

app = ClientApp()


@app.query()
def echo(msg: Message, context: Context) -> Message:
    return Message(RecordDict({"arrays": msg.content["arrays"]}), reply_to=msg)
