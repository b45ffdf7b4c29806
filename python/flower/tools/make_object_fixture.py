"""Writes a Flower Message deflated by the installed flwr as JSON, for the Java serde tests.

    FLWR_PRIVATE_MAX_ARRAY_CHUNK_SIZE=64 python make_object_fixture.py OUT.json
The JSON holds the message id, the object tree and every object's bytes (base64), so the Java side can check
that it inflates exactly what Python deflated and deflates to byte-identical objects (same object ids).
"""
import base64
import json
import sys

import flwr
import numpy as np
from flwr.app import ArrayRecord, ConfigRecord, Message, MetricRecord, RecordDict
from flwr.app.message.message import make_message
from flwr.app.metadata import Metadata
from flwr.supercore.inflatable.inflatable_object import get_all_nested_objects, get_object_tree


def tree_to_json(tree):
    return {"object_id": tree.object_id, "children": [tree_to_json(c) for c in tree.children]}


def main(out):
    arrays = ArrayRecord({
        "w": ArrayRecord([np.arange(6, dtype=np.float32).reshape(2, 3)])["0"],
        "b64": ArrayRecord([np.array([1.5, -2.25, 3.0, 1e-300], dtype=np.float64)])["0"],
        "i64": ArrayRecord([np.array([[1, -2], [3, 1 << 40]], dtype=np.int64)])["0"],
        "h": ArrayRecord([np.array([0.5, -1.0, 65504.0], dtype=np.float16)])["0"],
        "zeros": ArrayRecord([np.zeros((10, 10), dtype=np.float32)])["0"],
        "scalar": ArrayRecord([np.array(7.0, dtype=np.float32)])["0"],
    })
    metrics = MetricRecord({"num-examples": 10, "loss": 0.5, "hist": [1.0, 2.0], "counts": [1, 2, 3]})
    config = ConfigRecord({"server-round": 3, "lr": 0.1, "flag": True, "name": "héllo", "blob": b"\x00\x01",
                           "ints": [1, -2], "names": ["a", "b"]})
    content = RecordDict({"arrays": arrays, "metrics": metrics, "config": config})
    md = Metadata(run_id=1234, message_id="", src_node_id=1, dst_node_id=99, reply_to_message_id="",
                  group_id="3", created_at=1767225600.25, ttl=43200.0, message_type="train")
    msg = make_message(metadata=md, content=content)
    objects = get_all_nested_objects(msg)
    err = make_message(metadata=Metadata(run_id=1234, message_id="", src_node_id=99, dst_node_id=1,
                                         reply_to_message_id=msg.object_id, group_id="3",
                                         created_at=1767225601.5, ttl=100.0, message_type="train"),
                       error=flwr.app.Error(code=2, reason="boom"))
    data = {
        "flwr_version": flwr.__version__,
        "message_id": msg.object_id,
        "tree": tree_to_json(get_object_tree(msg)),
        "objects": {oid: base64.b64encode(o.deflate()).decode() for oid, o in objects.items()},
        "error_message_id": err.object_id,
        "error_message_object": base64.b64encode(err.deflate()).decode(),
    }
    with open(out, "w") as f:
        json.dump(data, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
