#!/usr/bin/env python3
# Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
"""Writes the Hugging Face reference fixtures that the Java engine is checked against (HfParityIT).

Every model is a tiny random-weight decoder made with transformers itself (fixed seeds, fp32), saved with
``save_pretrained`` together with a byte-level BPE tokenizer trained here with the ``tokenizers`` library.
For each model the script also saves a PEFT LoRA adapter (non-zero B, so the LoRA path changes the output)
with ``PeftModel.save_pretrained`` and the logits transformers computes on fixed token batches, without and
with the adapter.

Layout of OUT (default: integration-tests/src/test/resources/fixtures/hf):
  tokenizer/tokenizer.json, tokenizer_config.json   the shared tokenizer
  tokenizer/expected.json                           {"cases": [{"text": str, "ids": [int]}]}
  tokenizer-bos/, tokenizer-config-bos/             the same BPE with a BOS token <s>: a TemplateProcessing
                                 post-processor "<s> $A" (LLaMA-style), resp. none but add_bos_token: true in
                                 tokenizer_config.json; expected.json holds the ids of transformers'
                                 tokenizer(text) ("ids", special tokens included) and of
                                 add_special_tokens=False ("plain_ids")
  <model>/config.json, model.safetensors, tokenizer.json, tokenizer_config.json, generation_config.json
  <model>/adapter/adapter_config.json, adapter_model.safetensors
  <model>/expected.safetensors   tokens I64 [B,T]; logits F32 [B,T,V]; logits_lora F32 [B,T,V];
                                 stack I64 [K] (a subset of the layers, as a FedBiOT emulator keeps) and
                                 logits_stack / logits_stack_lora: the model run with only those layers;
                                 labels I64 [B,T] (-100 = ignored), loss F32 [1] (transformers' mean
                                 causal-LM loss), seq_loglik F32 [B] (summed log p of labelled tokens);
                                 gen_prompt I64 [P], gen_greedy I64 [N] (greedy generate); *_lora: with
                                 the adapter
  manifest.json                  versions used and, per model, dtype on disk, shapes and LoRA settings

Models: llama (GQA, llama3 rope scaling, untied head), llama-bias (attention_bias: q/k/v and o_proj biases,
linear rope scaling, tied head, LoRA on q and o), qwen2 (q/k/v bias, tied head), gpt2, mistral-sw (Mistral with
sliding_window 5 < SEQ on every layer), qwen2-sw (use_sliding_window, sliding_window 5, max_window_layers 2 of 3
layers: layer_types [full, full, sliding]; its stack [0, 2] runs layer 2 with its own sliding mask, so the stack
logits tell a kept layer's own kind from that of its position in the stack), and the llama
weights stored in BF16 (llama-bf16, whose config.json is rewritten in the transformers 4.x form with
rope_theta/rope_scaling, as Hub checkpoints are) and the gpt2 weights stored in F16 (gpt2-f16). For the half-precision
checkpoints the expected logits come from the model loaded from those files and run in fp32, which is what a
loader that widens BF16/F16 to F32 must reproduce.

For the sliding-window models the greedy continuation is SW_NEW_TOKENS long, so that generation runs past the
window and past SEQ, where transformers' cache drops (and the engine's mask hides) keys older than the window.

Usage: python make_hf_fixtures.py [--out DIR] [--hidden-states] [--tokenizers-only] [--models NAME ...]
(--hidden-states also stores hidden.<i> = the input of layer i and the final-norm output per model, for
layer-by-layer debugging; the committed fixtures do not have them. --models rewrites only the named models and
their manifest entries, leaving the rest of OUT as it is.)
"""
import argparse
import json
import os
import shutil
import sys

import numpy as np
import safetensors
import tokenizers
import torch
import transformers
import peft
from safetensors.torch import save_file
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
from transformers import (AutoModelForCausalLM, GPT2Config, LlamaConfig, MistralConfig,
                          PreTrainedTokenizerFast, Qwen2Config)
from peft import LoraConfig, PeftModel, get_peft_model

BATCH, SEQ = 2, 12
VOCAB = 320
LORA_R, LORA_ALPHA = 4, 8
EOS = "<|endoftext|>"
PAD = "<|pad|>"
EOS_ID = 0  # the first special token
PROMPT_LEN, NEW_TOKENS = 5, 10
SLIDING_WINDOW, SW_NEW_TOKENS = 5, 16  # prompt + new tokens = 21 > SEQ = 12 > window

# Training text for the tokenizer: a few KB, fixed. Mixed prose, code-like text and numbers so that the
# learned merges cover letters, spaces, digits and punctuation.
CORPUS = [
    "Federated learning trains one model on data that stays on many devices.",
    "The server sends an adapter, each client trains it on local data, and the server averages the updates.",
    "FedBiOT compresses the language model: the server keeps the full model and gives clients an emulator.",
    "The emulator is built from a few layers of the original model and is aligned on public data.",
    "Clients fine-tune a small adapter with low-rank matrices, called LoRA, and never see the full weights.",
    "What is 12 plus 30? The answer is 42. What is 7 times 8? The answer is 56.",
    "Solve 3*x + 4 = 19 for x. Then x = 5. Compute 100 - 37, which is 63.",
    "def forward(self, x):\n    return self.proj(torch.relu(x)) + x\n",
    "for (int i = 0; i < n; i++) { sum += a[i] * b[i]; }",
    "Attention lets every token look at the tokens before it; rotary embeddings encode positions.",
    "The quick brown fox jumps over the lazy dog. The lazy dog sleeps in the sun.",
    "Tokenizers split text into pieces; byte-level BPE starts from the 256 bytes and merges frequent pairs.",
    "Numbers like 2024, 3.14159 and 1e-5 appear in papers, logs and configuration files.",
    "Caf\u00e9, na\u00efve and fa\u00e7ade keep their accents; \u4e2d\u6587 and emoji like \U0001F600 are bytes too.",
]

TOKENIZER_CASES = [
    "Hello world",
    "The server averages the updates.",
    "What is 12 plus 30? The answer is 42.",
    "  leading spaces and\ttabs\nand a new line",
    "def forward(self, x): return x",
    "Caf\u00e9 na\u00efve \u4e2d\u6587 \U0001F600",
    "unseen-word: zyxwvutsrq 987654321",
    "",
]


def train_tokenizer():
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=VOCAB, special_tokens=[EOS, PAD], show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(CORPUS * 4, trainer=trainer)
    if tok.get_vocab_size() != VOCAB:
        sys.exit(f"tokenizer has {tok.get_vocab_size()} tokens, expected {VOCAB}; change CORPUS or VOCAB")
    return PreTrainedTokenizerFast(tokenizer_object=tok, eos_token=EOS, bos_token=EOS, unk_token=None,
                                   pad_token=PAD, model_max_length=64)


BOS = "<s>"


def save_bos_tokenizers(hf_tok, out):
    """Writes the two BOS fixtures: what transformers' tokenizer(text) gives when the tokenizer's post-processor
    prepends BOS, and when only tokenizer_config.json asks for one (transformers 5 then follows tokenizer.json)."""
    variants = {"tokenizer-bos": (True, False), "tokenizer-config-bos": (False, True)}
    for name, (template, config_flag) in variants.items():
        tok = Tokenizer.from_str(hf_tok.backend_tokenizer.to_str())
        tok.add_special_tokens([BOS])
        bos_id = tok.token_to_id(BOS)
        if template:
            tok.post_processor = processors.TemplateProcessing(
                single=f"{BOS} $A", pair=f"{BOS} $A {BOS}:1 $B:1", special_tokens=[(BOS, bos_id)])
        else:
            tok.post_processor = processors.ByteLevel(trim_offsets=False)
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        PreTrainedTokenizerFast(tokenizer_object=tok, bos_token=BOS, eos_token=EOS, pad_token=PAD,
                                unk_token=None, model_max_length=64).save_pretrained(d)
        if config_flag:
            cfg_path = os.path.join(d, "tokenizer_config.json")
            with open(cfg_path, encoding="utf-8") as f:
                cfg = json.load(f)
            cfg["add_bos_token"] = True
            with open(cfg_path, "w", encoding="utf-8") as f:
                json.dump(cfg, f, indent=2, sort_keys=True)
        loaded = transformers.AutoTokenizer.from_pretrained(d)  # as a user loads it
        cases = [{"text": t, "ids": loaded(t)["input_ids"],
                  "plain_ids": loaded(t, add_special_tokens=False)["input_ids"]} for t in TOKENIZER_CASES[:4]]
        has_bos = all(c["ids"][:1] == [bos_id] for c in cases)
        if has_bos != template:
            sys.exit(f"{name}: transformers {'does not add' if template else 'adds'} BOS; the fixture is not "
                     f"what it claims")
        with open(os.path.join(d, "expected.json"), "w", encoding="utf-8") as f:
            json.dump({"bos_id": bos_id, "adds_bos": has_bos, "cases": cases}, f, ensure_ascii=False, indent=1)


def model_configs(hf_tok):
    eos, pad = hf_tok.convert_tokens_to_ids(EOS), hf_tok.convert_tokens_to_ids(PAD)
    common = dict(vocab_size=VOCAB, bos_token_id=eos, eos_token_id=eos, pad_token_id=pad)
    llama = LlamaConfig(hidden_size=64, intermediate_size=160, num_hidden_layers=3, num_attention_heads=4,
                        num_key_value_heads=2, max_position_embeddings=64, rms_norm_eps=1e-5,
                        rope_theta=10000.0, tie_word_embeddings=False, attention_bias=False,
                        rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                                      "high_freq_factor": 4.0, "original_max_position_embeddings": 32},
                        **common)
    qwen2 = Qwen2Config(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                        num_key_value_heads=2, max_position_embeddings=64, rms_norm_eps=1e-6,
                        rope_theta=1000000.0, tie_word_embeddings=True, use_sliding_window=False, **common)
    gpt2 = GPT2Config(n_layer=2, n_embd=64, n_head=4, n_positions=64, n_inner=None,
                      activation_function="gelu_new", layer_norm_epsilon=1e-5, resid_pdrop=0.0,
                      embd_pdrop=0.0, attn_pdrop=0.0, **common)
    # LLaMA with attention_bias: biases on q, k, v and o_proj (unlike Qwen2), MHA, tied head, linear rope scaling
    llama_bias = LlamaConfig(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                             num_key_value_heads=4, max_position_embeddings=64, rms_norm_eps=1e-6,
                             rope_theta=500000.0, tie_word_embeddings=True, attention_bias=True,
                             rope_scaling={"rope_type": "linear", "factor": 2.0}, **common)
    # Mistral: the window on every layer (MistralModel ignores layer_types)
    mistral_sw = MistralConfig(hidden_size=64, intermediate_size=128, num_hidden_layers=3, num_attention_heads=4,
                               num_key_value_heads=2, max_position_embeddings=64, rms_norm_eps=1e-5,
                               rope_theta=10000.0, tie_word_embeddings=False, sliding_window=SLIDING_WINDOW,
                               **common)
    # Qwen2: layer i slides iff use_sliding_window and i >= max_window_layers (Qwen2Config.__post_init__)
    qwen2_sw = Qwen2Config(hidden_size=64, intermediate_size=128, num_hidden_layers=3, num_attention_heads=4,
                           num_key_value_heads=2, max_position_embeddings=64, rms_norm_eps=1e-6,
                           rope_theta=1000000.0, tie_word_embeddings=True, use_sliding_window=True,
                           sliding_window=SLIDING_WINDOW, max_window_layers=2, **common)
    if qwen2_sw.layer_types != ["full_attention", "full_attention", "sliding_attention"]:
        sys.exit(f"qwen2-sw: transformers derives layer_types {qwen2_sw.layer_types}; the fixture expects "
                 f"[full, full, sliding]")
    return {"llama": (llama, 1, ["q_proj", "v_proj"]),
            "llama-bias": (llama_bias, 4, ["q_proj", "o_proj"]),
            "qwen2": (qwen2, 2, ["q_proj", "v_proj"]),
            "gpt2": (gpt2, 3, ["c_attn"]),
            "mistral-sw": (mistral_sw, 5, ["q_proj", "v_proj"]),
            "qwen2-sw": (qwen2_sw, 6, ["q_proj", "k_proj"])}


def randomize(model, seed):
    """Re-draws every parameter with std 0.1 (norm weights around 1), so no layer is near-identity."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in sorted(model.named_parameters()):
            noise = torch.randn(p.shape, generator=g, dtype=torch.float32)
            if ("norm" in name or ".ln_" in name) and name.endswith("weight"):
                p.copy_(1.0 + 0.1 * noise)
            else:
                p.copy_(0.1 * noise)


def add_lora(model, seed, targets, is_gpt2):
    cfg = LoraConfig(r=LORA_R, lora_alpha=LORA_ALPHA, lora_dropout=0.0, target_modules=targets, bias="none",
                     fan_in_fan_out=is_gpt2, task_type="CAUSAL_LM")
    pm = get_peft_model(model, cfg)
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in sorted(pm.named_parameters()):
            if "lora_A" in name or "lora_B" in name:
                p.copy_(0.2 * torch.randn(p.shape, generator=g, dtype=torch.float32))
    return pm.eval()


def forward(model, tokens, hidden_states=False):
    with torch.no_grad():
        out = model(input_ids=tokens, attention_mask=torch.ones_like(tokens), use_cache=False,
                    output_hidden_states=hidden_states)
    return out


def losses(model, tokens, labels):
    """transformers' causal-LM loss (mean over labelled positions, labels shifted inside the model) and, per
    row, the summed log-probability of the labelled next tokens."""
    with torch.no_grad():
        out = model(input_ids=tokens, attention_mask=torch.ones_like(tokens), labels=labels, use_cache=False)
    logp = torch.log_softmax(out.logits.float()[:, :-1], dim=-1)
    target = labels[:, 1:]
    mask = target != -100
    picked = logp.gather(-1, target.clamp(min=0).unsqueeze(-1)).squeeze(-1)
    return out.loss.float().reshape(1), (picked * mask).sum(dim=1).float()


def greedy(model, prompt, n):
    """transformers' greedy generate (KV cache), checked against argmax over full recomputation; None if a
    step's top-2 gap is so small that rounding could flip the choice, or if EOS comes up (so that
    stop-at-EOS conventions do not matter)."""
    ids = prompt.unsqueeze(0)
    with torch.no_grad():
        out = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=n,
                             do_sample=False, num_beams=1)
    new = out[0, ids.shape[1]:]
    seq = ids
    for step in range(n):
        logits = forward(model, seq).logits[0, -1]
        top2 = torch.topk(logits, 2)
        if top2.values[0] - top2.values[1] < 1e-4:  # 30x the engine-vs-transformers logit error
            return None
        seq = torch.cat([seq, top2.indices[:1].unsqueeze(0)], dim=1)
    manual = seq[0, ids.shape[1]:]
    if (manual == EOS_ID).any():
        return None
    if not torch.equal(new, manual):
        sys.exit(f"generate {new.tolist()} != argmax loop {manual.tolist()}")
    return new.to(torch.int64).contiguous()


def prompt_candidates(tokens):
    return [tokens[r, o:o + PROMPT_LEN].clone() for o in range(0, SEQ - PROMPT_LEN + 1) for r in (1, 0)]


def decoder_layers(model):
    inner = model.get_base_model() if isinstance(model, PeftModel) else model
    return (inner.transformer, "h") if hasattr(inner, "transformer") else (inner.model, "layers")


def forward_stack(model, tokens, stack, own_kinds=True):
    """Runs the model with only the decoder layers in stack (in that order), each keeping its own weights,
    LoRA and attention kind (Qwen2's model picks a layer's mask by its position in config.layer_types, so the
    list is cut to the stack as well); embeddings, final norm and head unchanged. own_kinds=False leaves
    layer_types as it is (each kept layer gets the kind of its position), to check that the fixture tells the
    two apart."""
    owner, attr = decoder_layers(model)
    layers = getattr(owner, attr)
    kinds = getattr(owner.config, "layer_types", None)
    setattr(owner, attr, torch.nn.ModuleList([layers[i] for i in stack]))
    if kinds is not None and own_kinds:
        owner.config.layer_types = [kinds[i] for i in stack]
    try:
        return forward(model, tokens).logits.float().contiguous()
    finally:
        setattr(owner, attr, layers)
        if kinds is not None:
            owner.config.layer_types = kinds


def tokens_for(hf_tok, seed):
    g = torch.Generator().manual_seed(seed)
    random_row = torch.randint(0, VOCAB, (SEQ,), generator=g)
    text_ids = hf_tok("The server averages the updates of 12 clients, then 30 more.",
                      add_special_tokens=False)["input_ids"]
    text_row = torch.tensor((text_ids * SEQ)[:SEQ])
    return torch.stack([random_row, text_row]).to(torch.int64)


def to_legacy_config(path):
    """Rewrites config.json the way transformers 4.x wrote it (rope_theta + rope_scaling, torch_dtype), as
    most checkpoints on the Hub still are; transformers 5 reads both forms."""
    with open(path, encoding="utf-8") as f:
        c = json.load(f)
    rope = dict(c.pop("rope_parameters"))
    c["rope_theta"] = rope.pop("rope_theta")
    if rope.get("rope_type", "default") != "default":
        c["rope_scaling"] = rope
    c["torch_dtype"] = c.pop("dtype")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(c, f, indent=2, sort_keys=True)


def save_model(name, cfg, seed, targets, hf_tok, out, store_dtype, weights_from=None, hidden=False,
               legacy_config=False):
    sliding = getattr(cfg, "sliding_window", None)
    new_tokens = SW_NEW_TOKENS if sliding is not None else NEW_TOKENS
    if sliding is not None and not PROMPT_LEN + new_tokens > SEQ > sliding:
        sys.exit(f"{name}: generation must run past SEQ and the window {sliding}")
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    if weights_from is None:
        torch.manual_seed(seed)
        model = AutoModelForCausalLM.from_config(cfg, dtype=torch.float32)
        randomize(model, seed)
    else:
        model = AutoModelForCausalLM.from_pretrained(weights_from, dtype=torch.float32)
    model.to(store_dtype).save_pretrained(d, safe_serialization=True)
    hf_tok.save_pretrained(d)
    if legacy_config:
        to_legacy_config(os.path.join(d, "config.json"))
    # Reload from disk: the expected logits are what transformers computes from the files we commit.
    base = AutoModelForCausalLM.from_pretrained(d, dtype=torch.float32).eval()
    n_params = sum(p.numel() for p in base.parameters())
    tokens = tokens_for(hf_tok, seed + 100)
    out_base = forward(base, tokens, hidden)
    tensors = {"tokens": tokens.contiguous(), "logits": out_base.logits.float().contiguous()}
    if hidden:
        for i, h in enumerate(out_base.hidden_states):
            tensors[f"hidden.{i}"] = h.float().contiguous()
    n = cfg.num_hidden_layers
    stack = [0, n - 1] if n > 2 else [n - 1]
    tensors["stack"] = torch.tensor(stack, dtype=torch.int64)
    tensors["logits_stack"] = forward_stack(base, tokens, stack)  # before get_peft_model wraps base in place
    kinds = getattr(cfg, "layer_types", None)
    if kinds is not None and [kinds[i] for i in stack] != kinds[:len(stack)]:
        moved = (forward_stack(base, tokens, stack, own_kinds=False) - tensors["logits_stack"]).abs().max().item()
        if moved < 1e-2:
            sys.exit(f"{name}: the stack's logits barely depend on its layers' own attention kinds ({moved})")
    labels = tokens.clone()
    labels[1, :4] = -100  # a masked prompt
    tensors["labels"] = labels
    tensors["loss"], tensors["seq_loglik"] = losses(base, tokens, labels)
    prompts = [(p, greedy(base, p, new_tokens)) for p in prompt_candidates(tokens)]
    is_gpt2 = cfg.model_type == "gpt2"
    adapter_dir = os.path.join(d, "adapter")
    pm = add_lora(base, seed + 200, targets, is_gpt2)
    pm.save_pretrained(adapter_dir, safe_serialization=True)
    os.remove(os.path.join(adapter_dir, "README.md"))  # PEFT's model-card template, not needed
    # Make the file reproducible: PEFT writes the absolute base path of this machine and target_modules in
    # set order (which changes with Python's hash seed).
    cfg_path = os.path.join(adapter_dir, "adapter_config.json")
    with open(cfg_path, encoding="utf-8") as f:
        adapter_cfg = json.load(f)
    adapter_cfg["base_model_name_or_path"] = name
    adapter_cfg["target_modules"] = sorted(adapter_cfg["target_modules"])
    with open(cfg_path, "w", encoding="utf-8") as f:
        json.dump(adapter_cfg, f, indent=2, sort_keys=True)
    # Reload the adapter too, onto a fresh base read from disk.
    fresh = AutoModelForCausalLM.from_pretrained(d, dtype=torch.float32).eval()
    loaded = PeftModel.from_pretrained(fresh, adapter_dir).eval()
    tensors["logits_lora"] = forward(loaded, tokens).logits.float().contiguous()
    tensors["logits_stack_lora"] = forward_stack(loaded, tokens, stack)
    tensors["loss_lora"], tensors["seq_loglik_lora"] = losses(loaded, tokens, labels)
    for prompt, gen in prompts:
        gen_lora = greedy(loaded, prompt, new_tokens) if gen is not None else None
        if gen_lora is not None:
            tensors["gen_prompt"], tensors["gen_greedy"], tensors["gen_greedy_lora"] = prompt, gen, gen_lora
            break
    else:
        sys.exit(f"{name}: no prompt gives a clear greedy continuation without EOS")
    effect = (tensors["logits_lora"] - tensors["logits"]).abs().max().item()
    if effect < 1e-2:
        sys.exit(f"{name}: the adapter changes logits by only {effect}; the LoRA path would not be tested")
    save_file(tensors, os.path.join(d, "expected.safetensors"), metadata={"format": "pt"})
    print(f"{name}: {store_dtype} params={n_params} "
          f"lora effect={effect:.4f}", file=sys.stderr)
    entry = {"dtype": str(store_dtype).replace("torch.", ""), "model_type": cfg.model_type,
             "batch": BATCH, "seq": SEQ, "vocab": VOCAB, "lora_rank": LORA_R, "lora_alpha": LORA_ALPHA,
             "lora_targets": targets, "num_layers": cfg.num_hidden_layers, "legacy_config": legacy_config}
    if sliding is not None:
        entry["sliding_window"] = sliding
        entry["layer_types"] = list(getattr(cfg, "layer_types", None) or ["sliding_attention"] * cfg.num_hidden_layers)
    return entry


def write_models_only(names, out, hidden):
    """Writes the named models into an existing OUT and updates their manifest entries; the pinned versions must
    be the ones the manifest records, or the fixtures would mix versions."""
    manifest_path = os.path.join(out, "manifest.json")
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    if manifest["versions"]["transformers"] != transformers.__version__ or \
            manifest["versions"]["torch"] != torch.__version__:
        sys.exit(f"{out} was written with {manifest['versions']}; this venv has transformers "
                 f"{transformers.__version__}, torch {torch.__version__}: regenerate all fixtures")
    hf_tok = train_tokenizer()
    cfgs = model_configs(hf_tok)
    for name in names:
        if name not in cfgs:
            sys.exit(f"--models: no model '{name}'; models: {sorted(cfgs)}")
        d = os.path.join(out, name)
        if os.path.isdir(d):
            shutil.rmtree(d)
        cfg, seed, targets = cfgs[name]
        manifest["models"][name] = save_model(name, cfg, seed, targets, hf_tok, out, torch.float32, hidden=hidden)
    with open(manifest_path, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
    print(f"wrote {', '.join(names)} in {out}", file=sys.stderr)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(here, "..", "integration-tests", "src", "test", "resources", "fixtures", "hf")
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=default_out)
    ap.add_argument("--hidden-states", action="store_true")
    ap.add_argument("--tokenizers-only", action="store_true",
                    help="rewrite only the BOS tokenizer fixtures, leaving the rest of OUT as it is")
    ap.add_argument("--models", nargs="+", metavar="NAME",
                    help="rewrite only these models (of model_configs) and their manifest entries, leaving the rest "
                         "of OUT as it is")
    args = ap.parse_args()
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    out = os.path.abspath(args.out)
    if args.tokenizers_only:
        save_bos_tokenizers(train_tokenizer(), out)
        print(f"wrote the BOS tokenizer fixtures in {out}", file=sys.stderr)
        return
    if args.models:
        write_models_only(args.models, out, args.hidden_states)
        return
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)

    hf_tok = train_tokenizer()
    tok_dir = os.path.join(out, "tokenizer")
    hf_tok.save_pretrained(tok_dir)
    cases = [{"text": t, "ids": hf_tok(t, add_special_tokens=False)["input_ids"]} for t in TOKENIZER_CASES]
    for c in cases:
        if hf_tok.decode(c["ids"]) != c["text"]:
            sys.exit(f"tokenizer does not round-trip {c['text']!r}")
    with open(os.path.join(tok_dir, "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"cases": cases}, f, ensure_ascii=False, indent=1)
    save_bos_tokenizers(hf_tok, out)

    manifest = {"versions": {"torch": torch.__version__, "transformers": transformers.__version__,
                             "peft": peft.__version__, "tokenizers": tokenizers.__version__,
                             "safetensors": safetensors.__version__, "numpy": np.__version__},
                "models": {}}
    cfgs = model_configs(hf_tok)
    for name, (cfg, seed, targets) in cfgs.items():
        manifest["models"][name] = save_model(name, cfg, seed, targets, hf_tok, out, torch.float32,
                                              hidden=args.hidden_states)
    for name, src, dtype in (("llama-bf16", "llama", torch.bfloat16), ("gpt2-f16", "gpt2", torch.float16)):
        cfg, seed, targets = cfgs[src]
        manifest["models"][name] = save_model(name, cfg, seed, targets, hf_tok, out, dtype,
                                              weights_from=os.path.join(out, src), hidden=args.hidden_states,
                                              legacy_config=dtype == torch.bfloat16)
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
