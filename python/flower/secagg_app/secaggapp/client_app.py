"""ClientApp for Python SuperNodes: a legacy NumPyClient behind Flower's own, unmodified secaggplus_mod.

It adds (partition-id + 1) / 10 to every element and reports 10 * (partition-id + 1) examples. In the plain
baseline (the run config's secagg = false) the instructions carry no SecAgg+ record and bypass the mod.
"""
from flwr.client import ClientApp, NumPyClient
from flwr.client.mod import secaggplus_mod
from flwr.common.secure_aggregation.secaggplus_constants import RECORD_KEY_CONFIGS


class AddClient(NumPyClient):
    def __init__(self, pid: int) -> None:
        self.pid = pid

    def fit(self, parameters, config):
        new = [(p + (self.pid + 1) / 10).astype(p.dtype) for p in parameters]
        return new, 10 * (self.pid + 1), {"impl": "python"}


def client_fn(context):
    return AddClient(int(context.node_config.get("partition-id", 0))).to_client()


def secagg_if_asked(msg, ctxt, call_next):
    if RECORD_KEY_CONFIGS in msg.content.config_records:
        return secaggplus_mod(msg, ctxt, call_next)
    return call_next(msg, ctxt)


app = ClientApp(client_fn=client_fn, mods=[secagg_if_asked])
