#!/usr/bin/env python3
# Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
"""Classifies texts with a FedBiOT label-scoring ONNX export (FedBiOTModel.saveONNXModel) in Python.

The export carries what a runtime needs in its metadata: the prompt around the text
(fedbiot.prompt_template, with {text} where the text goes), the prompt width P
(fedbiot.max_prompt_tokens) and the labels in output order (fedbiot.labels, one per line).
The tokenizer is the model directory's tokenizer.json. Input row t of the graph holds token id + 1
of the prompt's t-th token (the last P tokens when the prompt is longer), 0 after its end.

Usage: classify.py MODEL.onnx TOKENIZER.json TEXT... ; prints JSON
  {"labels": [...], "probabilities": [[...], ...], "log_likelihoods": [[...], ...]}
"""
import json
import sys

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer


def prompt_rows(tokenizer, template, width, texts):
    rows = np.zeros((len(texts), width), dtype=np.float32)
    for i, text in enumerate(texts):
        ids = tokenizer.encode(template.replace("{text}", text), add_special_tokens=False).ids
        ids = ids[-width:]
        rows[i, : len(ids)] = np.asarray(ids, dtype=np.float32) + 1.0
    return rows


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    session = ort.InferenceSession(argv[1], providers=["CPUExecutionProvider"])
    meta = session.get_modelmeta().custom_metadata_map
    template = meta["fedbiot.prompt_template"]
    width = int(meta["fedbiot.max_prompt_tokens"])
    labels = meta["fedbiot.labels"].split("\n")
    tokenizer = Tokenizer.from_file(argv[2])
    probs, lls = session.run(["output", "log_likelihoods"], {"input": prompt_rows(tokenizer, template, width, argv[3:])})
    print(json.dumps({"labels": labels, "probabilities": probs.tolist(), "log_likelihoods": lls.tolist()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
