# Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
"""Checks a model directory written by `fedbiot convert-gguf` from SmolLM2-135M-Instruct.Q4_1.gguf against
what llama.cpp makes of the same file (the JSON written by check_llamacpp.py):

1. tokenizer.json, loaded by the Rust `tokenizers` library, encodes every reference text to llama.cpp's ids;
2. a plain numpy LLaMA forward pass (Hugging Face semantics: rotate-half rope, GQA, RMSNorm, SwiGLU, tied head)
   over model.safetensors gives, for the chat prompt, the same next-token argmax as llama.cpp at nearly every
   position and last-position logits close to llama.cpp's (llama.cpp rounds activations to 8 bits for its
   quantised matrix products, so they are not identical);
3. greedy decoding from the prompt is printed next to llama.cpp's.

If the q/k rows were left in llama.cpp's order, step 2 fails: the attention scores would be wrong.
Exit code 0 when 1 and 2 hold. Usage: python check_converted.py MODEL_DIR REFERENCE.json [NEW_TOKENS]
"""
import json
import struct
import sys
import time
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

MIN_ARGMAX_AGREEMENT = 0.9
MAX_TOP_LOGIT_DIFF = 1.0


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, h in header.items():
        if name == "__metadata__":
            continue
        a, b = h["data_offsets"]
        if h["dtype"] == "F32":
            x = np.frombuffer(data[a:b], dtype="<f4")
        elif h["dtype"] == "BF16":
            x = (np.frombuffer(data[a:b], dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            raise ValueError(f"{name}: dtype {h['dtype']} not handled")
        out[name] = x.reshape(h["shape"])
    return out


class Llama:
    def __init__(self, model_dir):
        self.cfg = json.loads((model_dir / "config.json").read_text())
        self.w = read_safetensors(model_dir / "model.safetensors")
        c = self.cfg
        self.heads, self.kv_heads = c["num_attention_heads"], c["num_key_value_heads"]
        self.head_dim = c.get("head_dim", c["hidden_size"] // self.heads)
        self.eps = c["rms_norm_eps"]
        self.inv_freq = 1.0 / (c["rope_theta"] ** (np.arange(0, self.head_dim, 2, dtype=np.float64) / self.head_dim))
        self.head = self.w["lm_head.weight"] if "lm_head.weight" in self.w else self.w["model.embed_tokens.weight"]
        self.cache = []

    def norm(self, x, w):
        return (x / np.sqrt((x.astype(np.float64) ** 2).mean(-1, keepdims=True) + self.eps)).astype(np.float32) * w

    def rope(self, x, positions):
        ang = np.outer(positions, self.inv_freq)  # (T, hd/2)
        cos = np.concatenate([np.cos(ang)] * 2, -1).astype(np.float32)
        sin = np.concatenate([np.sin(ang)] * 2, -1).astype(np.float32)
        half = self.head_dim // 2
        rotated = np.concatenate([-x[..., half:], x[..., :half]], -1)
        return x * cos[None] + rotated * sin[None]

    def forward(self, ids, start):
        """Logits for `ids` at positions start.., appending to the KV cache."""
        w, T = self.w, len(ids)
        x = w["model.embed_tokens.weight"][ids]
        pos = np.arange(start, start + T)
        for i in range(self.cfg["num_hidden_layers"]):
            p = f"model.layers.{i}."
            h = self.norm(x, w[p + "input_layernorm.weight"])
            q = (h @ w[p + "self_attn.q_proj.weight"].T).reshape(T, self.heads, self.head_dim).transpose(1, 0, 2)
            k = (h @ w[p + "self_attn.k_proj.weight"].T).reshape(T, self.kv_heads, self.head_dim).transpose(1, 0, 2)
            v = (h @ w[p + "self_attn.v_proj.weight"].T).reshape(T, self.kv_heads, self.head_dim).transpose(1, 0, 2)
            q, k = self.rope(q, pos), self.rope(k, pos)
            if start == 0:
                self.cache.append((k, v))
            else:
                pk, pv = self.cache[i]
                k, v = np.concatenate([pk, k], 1), np.concatenate([pv, v], 1)
                self.cache[i] = (k, v)
            rep = self.heads // self.kv_heads
            k, v = np.repeat(k, rep, 0), np.repeat(v, rep, 0)
            s = q @ k.transpose(0, 2, 1) / np.sqrt(self.head_dim)
            mask = np.arange(k.shape[1])[None, :] > pos[:, None]
            s = np.where(mask[None], -np.inf, s)
            s = np.exp(s - s.max(-1, keepdims=True))
            a = (s / s.sum(-1, keepdims=True)) @ v
            x = x + a.transpose(1, 0, 2).reshape(T, -1) @ w[p + "self_attn.o_proj.weight"].T
            h = self.norm(x, w[p + "post_attention_layernorm.weight"])
            g = h @ w[p + "mlp.gate_proj.weight"].T
            u = h @ w[p + "mlp.up_proj.weight"].T
            x = x + ((g / (1 + np.exp(-g))) * u) @ w[p + "mlp.down_proj.weight"].T
        return self.norm(x, w["model.norm.weight"]) @ self.head.T


def main(model_dir, reference, new_tokens):
    ref = json.loads(Path(reference).read_text(encoding="utf-8"))
    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    ok = True
    for t in ref["texts"]:
        ids = tok.encode(t["text"], add_special_tokens=False).ids
        if ids != t["ids"]:
            ok = False
            print(f"TOKENIZER MISMATCH {t['text']!r}: ours {ids} llama.cpp {t['ids']}")
    print(f"tokenizer: {len(ref['texts'])} texts, {'all ids equal to llama.cpp' if ok else 'MISMATCH'}")
    prompt_ids = tok.encode(ref["prompt"], add_special_tokens=False).ids
    if prompt_ids != ref["prompt_ids"]:
        ok = False
        print("prompt ids differ from llama.cpp's")

    model = Llama(model_dir)
    t0 = time.perf_counter()
    logits = model.forward(np.array(ref["prompt_ids"]), 0)
    t_prompt = time.perf_counter() - t0
    agree = float(np.mean(logits.argmax(-1) == np.array(ref["prompt_argmax"])))
    last = logits[-1]
    top = np.array(ref["last_top_ids"])
    # Compare log-probabilities' shape: logits shifted so that both have the same log-sum-exp.
    ours_lp = last[top] - (np.log(np.exp(last - last.max()).sum()) + last.max())
    ref_lp = np.array(ref["last_top_logits"]) - ref["last_logsumexp"]
    diff = float(np.abs(ours_lp - ref_lp).max())
    print(f"forward ({len(prompt_ids)} tokens, {t_prompt:.2f} s): next-token argmax agrees with llama.cpp at "
          f"{agree:.0%} of positions; last-position top-{len(top)} log-probs differ by at most {diff:.3f}")
    print(f"  ours top-5 {[int(i) for i in np.argsort(-last)[:5]]}, llama.cpp top-5 {ref['last_top_ids'][:5]}")
    if agree < MIN_ARGMAX_AGREEMENT or diff > MAX_TOP_LOGIT_DIFF:
        ok = False
        print(f"FORWARD MISMATCH (need agreement >= {MIN_ARGMAX_AGREEMENT}, diff <= {MAX_TOP_LOGIT_DIFF})")

    if new_tokens > 0:
        out, n = [], len(prompt_ids)
        nxt = int(last.argmax())
        t0 = time.perf_counter()
        while len(out) < new_tokens:
            out.append(nxt)
            if nxt == 2:
                break
            nxt = int(model.forward(np.array([nxt]), n)[-1].argmax())
            n += 1
        dt = (time.perf_counter() - t0) / len(out)
        print(f"greedy (numpy, {dt * 1000:.0f} ms/token): {tok.decode(out, skip_special_tokens=False)!r}")
        print(f"greedy (llama.cpp):            {ref['greedy_text']!r}")
        same = 0
        while same < min(len(out), len(ref["greedy_ids"])) and out[same] == ref["greedy_ids"][same]:
            same += 1
        print(f"  first {same} generated tokens identical to llama.cpp's")
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 0))
