#!/usr/bin/env python3
"""Builds fedbiot's embedded federated task from DeepMind's mathematics_dataset (Apache-2.0).

Each client category is one generator module of the dataset (so a by-category split is non-iid, as the
paper's Dolly and code tasks are); the server's public set comes from *other* modules, so the public data
differs from every client's distribution, which is the setting FedBiOT's per-round re-alignment targets.

Output (JSONL, one example per line, Alpaca-style keys):
  {"instruction": question, "input": "", "output": "The answer is <answer>.", "category": module}
files: <out>/train.jsonl, <out>/test.jsonl, <out>/public.jsonl

Usage: python make_math_task.py --out DIR [--seed 2024] [--train 400] [--test 100] [--public 400]
Deterministic for a given seed and pinned requirements (requirements.txt beside this file).
"""
import argparse
import json
import os
import random

import numpy as np
from absl import flags
from mathematics_dataset import generate
from mathematics_dataset.modules import modules

CLIENT_MODULES = [
    "numbers__place_value",
    "arithmetic__add_or_sub",
    "numbers__round_number",
    "arithmetic__add_sub_multiple",
]
PUBLIC_MODULES = [
    "numbers__div_remainder",
    "arithmetic__div",
    "measurement__conversion",
    "numbers__gcd",
]


def sample(module_fn, n, seen, max_chars=120):
    out = []
    while len(out) < n:
        problem = generate.sample_from_module(module_fn)[0]
        q = str(problem.question).replace("\n", " ").strip()
        a = str(problem.answer).strip()
        if len(q) > max_chars or q in seen:
            continue
        seen.add(q)
        out.append((q, a))
    return out


def record(q, a, category):
    return {"instruction": q, "input": "", "output": f"The answer is {a}.", "category": category}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--train", type=int, default=400)
    ap.add_argument("--test", type=int, default=100)
    ap.add_argument("--public", type=int, default=400)
    args = ap.parse_args()
    flags.FLAGS(["make_math_task"])
    random.seed(args.seed)
    np.random.seed(args.seed)
    # "train-easy" difficulty: the lowest third of each module's entropy range.
    mods = generate._filter_and_flatten(modules.train(generate._make_entropy_fn(0, 3)))
    os.makedirs(args.out, exist_ok=True)
    seen = set()
    train, test, public = [], [], []
    for name in CLIENT_MODULES:
        rows = sample(mods[name], args.train + args.test, seen)
        train += [record(q, a, name) for q, a in rows[: args.train]]
        test += [record(q, a, name) for q, a in rows[args.train:]]
    per_public = args.public // len(PUBLIC_MODULES)
    for name in PUBLIC_MODULES:
        public += [record(q, a, name) for q, a in sample(mods[name], per_public, seen)]
    for fname, rows in (("train.jsonl", train), ("test.jsonl", test), ("public.jsonl", public)):
        with open(os.path.join(args.out, fname), "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {len(train)} train, {len(test)} test, {len(public)} public examples to {args.out}")


if __name__ == "__main__":
    main()
