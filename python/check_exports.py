#!/usr/bin/env python3
# Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
"""Loads what the Java engine exported with the real libraries and writes the logits they compute.

  --adapter DIR: a PEFT LoRA adapter (adapter_config.json + adapter_model.safetensors), loaded with
                 PeftModel.from_pretrained onto the base model in --base; every LoRA tensor the PEFT model
                 expects must be in the file and vice versa (else exit code 2).
  --merged DIR:  a full checkpoint (config.json + model.safetensors), loaded with
                 AutoModelForCausalLM.from_pretrained; missing or unexpected weights are an error (exit 2).
The tokens come from the safetensors file --tokens (tensor "tokens", I64 [B,T]); the logits (F32 [B,T,V],
fp32, eval mode, no padding) are written to --out as "logits_adapter" and/or "logits_merged".

Usage: python check_exports.py --base DIR --tokens FILE --out FILE [--adapter DIR] [--merged DIR]
"""
import argparse
import os
import sys

import torch
from peft import PeftModel
from safetensors import safe_open
from safetensors.torch import load_file, save_file
from transformers import AutoModelForCausalLM


def fail(msg):
    print("check_exports: " + msg, file=sys.stderr)
    sys.exit(2)


def logits(model, tokens):
    with torch.no_grad():
        return model(input_ids=tokens, attention_mask=torch.ones_like(tokens), use_cache=False) \
            .logits.float().contiguous()


def load_adapter(base_dir, adapter_dir):
    base = AutoModelForCausalLM.from_pretrained(base_dir, dtype=torch.float32)
    model = PeftModel.from_pretrained(base, adapter_dir).eval()
    with safe_open(os.path.join(adapter_dir, "adapter_model.safetensors"), "pt") as f:
        in_file = set(f.keys())
    # PEFT's in-memory names carry the adapter name ("default"); the file format does not.
    expected = {n.replace(".default.", ".") for n, _ in model.named_parameters() if ".lora_" in n}
    if in_file != expected:
        fail(f"adapter tensors differ from what PEFT expects: missing {sorted(expected - in_file)[:5]}, "
             f"unexpected {sorted(in_file - expected)[:5]}")
    file_tensors = load_file(os.path.join(adapter_dir, "adapter_model.safetensors"))
    for n, p in model.named_parameters():
        if ".lora_" in n and not torch.equal(p.detach(), file_tensors[n.replace(".default.", ".")].float()):
            fail(f"PEFT did not load {n} as stored")
    return model


def load_merged(merged_dir):
    model, info = AutoModelForCausalLM.from_pretrained(merged_dir, dtype=torch.float32,
                                                       output_loading_info=True)
    bad = {k: v for k, v in info.items() if k in ("missing_keys", "unexpected_keys", "mismatched_keys") and v}
    if bad:
        fail(f"merged checkpoint does not match {type(model).__name__}: {bad}")
    return model.eval()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", required=True)
    ap.add_argument("--tokens", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--adapter")
    ap.add_argument("--merged")
    args = ap.parse_args()
    if not args.adapter and not args.merged:
        fail("nothing to check: give --adapter and/or --merged")
    torch.set_num_threads(1)
    tokens = load_file(args.tokens)["tokens"].to(torch.int64)
    out = {}
    if args.adapter:
        out["logits_adapter"] = logits(load_adapter(args.base, args.adapter), tokens)
    if args.merged:
        out["logits_merged"] = logits(load_merged(args.merged), tokens)
    save_file(out, args.out)
    print("check_exports: wrote " + ", ".join(f"{k} {list(v.shape)}" for k, v in out.items()), file=sys.stderr)


if __name__ == "__main__":
    main()
