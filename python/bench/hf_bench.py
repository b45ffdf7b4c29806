# Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
"""The PyTorch side of `fedbiot bench pytorch`: one LoRA training step and forward-only generation of a
LLaMA-shaped decoder in Hugging Face transformers + PEFT on PyTorch eager (no torch.compile), in fp32.

The model has seeded random weights (the speed of a step does not depend on their values). It measures:

* train: one optimiser step = forward + backward + AdamW on the LoRA tensors (causal-LM cross-entropy over
  all positions); each sample is the mean step time of a group of `--group-steps` consecutive steps, after
  `--warmup` steps (the Java side times `trainLocal` calls of the same number of steps);
* forward: one no-grad forward + loss over the same batch, grouped the same way;
* generate: greedy decoding with the KV cache from a `--gen-prompt`-token prompt, batch 1, `--gen-new`
  new tokens (tokens per second = new tokens / time).

Writes one JSON object (the schema of `fedbiot bench engine`'s per-size record, see docs/benchmarks.md) to
`--out` or stdout. Run it with the pinned `hf` venv:

    py=$(tools/python-venv.sh hf python/requirements-hf.txt)/bin/python
    $py python/bench/hf_bench.py --vocab 1024 --hidden 128 --layers 4 --heads 4 --kv-heads 2 \
        --intermediate 344 --batch 4 --seq 128 --out /tmp/hf.json
"""
import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--name", default="model")
    p.add_argument("--vocab", type=int, required=True)
    p.add_argument("--hidden", type=int, required=True)
    p.add_argument("--layers", type=int, required=True)
    p.add_argument("--heads", type=int, required=True)
    p.add_argument("--kv-heads", type=int, required=True)
    p.add_argument("--intermediate", type=int, required=True)
    p.add_argument("--tie", action="store_true", help="tie the LM head to the embeddings")
    p.add_argument("--max-positions", type=int, default=2048)
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--seq", type=int, default=128)
    p.add_argument("--lora-r", type=int, default=8)
    p.add_argument("--lora-alpha", type=float, default=16)
    p.add_argument("--lora-dropout", type=float, default=0.05)
    p.add_argument("--lora-targets", default="q_proj,v_proj")
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--groups", type=int, default=3, help="timed groups of steps (one sample each)")
    p.add_argument("--group-steps", type=int, default=3, help="steps per timed group")
    p.add_argument("--gen-prompt", type=int, default=16)
    p.add_argument("--gen-new", type=int, default=32)
    p.add_argument("--gen-repeats", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--attn", default="sdpa", choices=["sdpa", "eager"],
                   help="transformers attention implementation (sdpa is its default)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--modes", default="train,forward,generate")
    p.add_argument("--profile", action="store_true",
                   help="also profile --group-steps training steps with torch.profiler (operator self times)")
    p.add_argument("--out")
    return p.parse_args(argv)


def summary(xs):
    xs = sorted(xs)
    n = len(xs)
    return {
        "median": statistics.median(xs),
        "min": xs[0],
        "max": xs[-1],
        "p25": xs[max(0, (n - 1) // 4)],
        "p75": xs[min(n - 1, (3 * (n - 1) + 3) // 4)],
        "n": n,
    }


def peak_rss_bytes():
    # ru_maxrss is in KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def main(argv=None):
    a = parse_args(argv)
    import torch
    torch.set_num_threads(a.threads)
    try:
        torch.set_num_interop_threads(a.threads)
    except RuntimeError:
        pass
    torch.manual_seed(a.seed)
    from transformers import LlamaConfig, LlamaForCausalLM
    from peft import LoraConfig, get_peft_model

    cfg = LlamaConfig(vocab_size=a.vocab, hidden_size=a.hidden, intermediate_size=a.intermediate,
                      num_hidden_layers=a.layers, num_attention_heads=a.heads, num_key_value_heads=a.kv_heads,
                      max_position_embeddings=a.max_positions, rms_norm_eps=1e-5, rope_theta=10000.0,
                      tie_word_embeddings=a.tie, attention_bias=False, hidden_act="silu",
                      bos_token_id=1, eos_token_id=2, pad_token_id=None)
    cfg._attn_implementation = a.attn
    model = LlamaForCausalLM(cfg).to(torch.float32)
    base_params = sum(p.numel() for p in model.parameters())
    lcfg = LoraConfig(r=a.lora_r, lora_alpha=a.lora_alpha, lora_dropout=a.lora_dropout,
                      target_modules=a.lora_targets.split(","), bias="none", task_type="CAUSAL_LM")
    model = get_peft_model(model, lcfg)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=a.lr, betas=(0.9, 0.95),
                            eps=1e-8, weight_decay=0.0)
    gen = torch.Generator().manual_seed(a.seed)
    ids = torch.randint(0, a.vocab, (a.batch, a.seq), generator=gen)
    tokens = a.batch * a.seq
    modes = set(a.modes.split(","))
    out = {
        "engine": "pytorch-eager",
        "name": a.name,
        "versions": {"torch": torch.__version__, "transformers": __import__("transformers").__version__,
                     "peft": __import__("peft").__version__, "python": platform.python_version()},
        "threads": torch.get_num_threads(),
        "attention": a.attn,
        "model": {"vocab": a.vocab, "hidden": a.hidden, "layers": a.layers, "heads": a.heads,
                  "kv_heads": a.kv_heads, "intermediate": a.intermediate, "tie": a.tie,
                  "parameters": base_params},
        "lora": {"r": a.lora_r, "alpha": a.lora_alpha, "dropout": a.lora_dropout,
                 "targets": a.lora_targets.split(","), "trainable": trainable},
        "batch": a.batch, "seq": a.seq, "seed": a.seed,
    }

    def train_step():
        loss = model(input_ids=ids, labels=ids).loss
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        return float(loss)

    def forward_step():
        with torch.no_grad():
            return float(model(input_ids=ids, labels=ids, use_cache=False).loss)

    def grouped(step):
        for _ in range(a.warmup):
            step()
        times = []
        for _ in range(a.groups):
            t0 = time.perf_counter()
            for _ in range(a.group_steps):
                step()
            times.append((time.perf_counter() - t0) / a.group_steps)
        return times

    if "train" in modes:
        model.train()
        times = grouped(train_step)
        out["train"] = {"seconds": summary(times), "tokens_per_s": summary([tokens / t for t in times]),
                        "samples_s": times, "tokens_per_step": tokens, "group_steps": a.group_steps}
        if a.profile:
            from torch.profiler import profile, ProfilerActivity
            with profile(activities=[ProfilerActivity.CPU]) as prof:
                t0 = time.perf_counter()
                for _ in range(a.group_steps):
                    train_step()
                wall = time.perf_counter() - t0
            avgs = sorted(prof.key_averages(), key=lambda e: e.self_cpu_time_total, reverse=True)
            total = sum(e.self_cpu_time_total for e in avgs) / 1e6
            out["train_profile"] = {
                "ops_self_seconds": total, "wall_seconds": wall, "steps": a.group_steps,
                "top": [{"name": e.key, "self_seconds": e.self_cpu_time_total / 1e6, "calls": e.count}
                        for e in avgs[:20]]}

    if "forward" in modes:
        model.eval()
        times = grouped(forward_step)
        out["forward"] = {"seconds": summary(times), "tokens_per_s": summary([tokens / t for t in times]),
                          "samples_s": times, "tokens_per_step": tokens, "group_steps": a.group_steps}

    if "generate" in modes:
        model.eval()
        prompt = ids[:1, :a.gen_prompt]
        times = []
        with torch.no_grad():
            for i in range(1 + a.gen_repeats):
                t0 = time.perf_counter()
                res = model.generate(input_ids=prompt, attention_mask=torch.ones_like(prompt),
                                     max_new_tokens=a.gen_new, min_new_tokens=a.gen_new, do_sample=False,
                                     use_cache=True, pad_token_id=0)
                dt = time.perf_counter() - t0
                assert res.shape[1] == a.gen_prompt + a.gen_new, res.shape
                if i >= 1:
                    times.append(dt)
        out["generate"] = {"seconds": summary(times), "tokens_per_s": summary([a.gen_new / t for t in times]),
                           "samples_s": times,
                           "prompt": a.gen_prompt, "new_tokens": a.gen_new}

    out["peak_rss_bytes"] = peak_rss_bytes()
    text = json.dumps(out, indent=2)
    if a.out:
        tmp = a.out + ".tmp"
        with open(tmp, "w") as f:
            f.write(text + "\n")
        os.replace(tmp, a.out)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
