# Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
"""Compares a model directory written by `fedbiot convert-gguf` with transformers' own GGUF loader
(`from_pretrained(..., gguf_file=...)`, which dequantises with the gguf package and undoes llama.cpp's q/k
row order itself): tokenizer ids and chat template, every weight tensor, and the logits of a chat prompt.
Then generates greedily from our directory with transformers.

Usage:
  venv=$(tools/python-venv.sh hf-gguf python/gguf/requirements-hf-gguf.txt)
  $venv/bin/python python/gguf/check_transformers.py MODEL_DIR "$(python/gguf/fetch-smollm2.sh)" [NEW_TOKENS]
"""
import sys
import time
from pathlib import Path

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

TEXTS = [
    "Hello world",
    "Numbers: 1234567 and 3.14159, year 2024!",
    "def add(a, b):\n    return a + b  # code",
    "Unicode: café, naïve, 東京, 🙂, Ελληνικά",
    "  leading spaces and\ttabs\nnew lines\n\n",
]
QUESTIONS = ["What is the capital of France?", "Give me three tips for staying healthy."]


def main(model_dir, gguf, new_tokens):
    gguf = Path(gguf)
    ours_tok = AutoTokenizer.from_pretrained(model_dir)
    ref_tok = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    ok = True
    for t in TEXTS:
        a, b = ours_tok(t, add_special_tokens=False)["input_ids"], ref_tok(t, add_special_tokens=False)["input_ids"]
        if a != b:
            ok = False
            print(f"TOKENIZER MISMATCH {t!r}: ours {a} transformers-gguf {b}")
    msgs = [{"role": "user", "content": QUESTIONS[0]}]
    chat_ours = ours_tok.apply_chat_template(msgs, tokenize=False, add_generation_prompt=True)
    chat_ref = ref_tok.apply_chat_template(msgs, tokenize=False, add_generation_prompt=True)
    print(f"tokenizer: {len(TEXTS)} texts {'identical' if ok else 'DIFFER'}; chat template "
          f"{'identical' if chat_ours == chat_ref else 'DIFFERS'}")
    ok &= chat_ours == chat_ref

    ours = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32).eval()
    ref = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32).eval()
    so, sr = ours.state_dict(), ref.state_dict()
    worst, exact = 0.0, 0
    for name, t in sr.items():
        if name not in so:
            if name == "lm_head.weight" and ours.config.tie_word_embeddings:
                continue
            ok = False
            print("missing in ours:", name)
            continue
        d = (so[name] - t).abs().max().item()
        worst = max(worst, d)
        exact += d == 0
    print(f"weights: {exact}/{len(so)} tensors bit-identical to transformers' GGUF loader, max |diff| {worst:g}")
    ok &= worst == 0

    ids = ours_tok(chat_ours, return_tensors="pt", add_special_tokens=False)["input_ids"]
    with torch.no_grad():
        lo, lr = ours(ids).logits, ref(ids).logits
    d = (lo - lr).abs().max().item()
    print(f"logits ({ids.shape[1]} tokens): max |ours - transformers-gguf| = {d:g}")
    ok &= d < 1e-4

    for q in QUESTIONS:
        prompt = ours_tok.apply_chat_template([{"role": "user", "content": q}], tokenize=False,
                                              add_generation_prompt=True)
        ids = ours_tok(prompt, return_tensors="pt", add_special_tokens=False)["input_ids"]
        t0 = time.perf_counter()
        with torch.no_grad():
            out = ours.generate(ids, max_new_tokens=new_tokens, do_sample=False)
        n = out.shape[1] - ids.shape[1]
        dt = (time.perf_counter() - t0) / max(n, 1)
        text = ours_tok.decode(out[0, ids.shape[1]:], skip_special_tokens=True)
        print(f"generate ({n} tokens, {dt * 1000:.0f} ms/token, transformers CPU): {q!r} -> {text!r}")
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 48))
