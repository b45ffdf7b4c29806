# Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
"""Writes the small GGUF test files of fedbiot-core's io.github.fedbiot.model.gguf tests, with the Python
`gguf` package (the writer and dequantiser that llama.cpp's converters use), so that the Java reader is checked
against an independent implementation.

  quant-types.gguf     one tensor per supported ggml type (random blocks), each with "<name>.expected": the
                       package's own float32 dequantisation; metadata of every value type, nested arrays, and
                       general.alignment = 64.
  tiny-llama.gguf      a 2-layer LLaMA (d 32, 4 heads, 2 KV heads) with a byte-level BPE tokenizer; q/k rows
                       permuted as llama.cpp's convert_hf_to_gguf.py does; matrices Q8_0, norms F32.
  tiny-llama-hf.safetensors  the same model's expected Hugging Face tensors (float32, HF names and row order).

Usage: python make_test_files.py OUT_DIR   (run through tools/python-venv.sh gguf python/gguf/requirements.txt)
"""
import json
import struct
import sys
from pathlib import Path

import numpy as np
from gguf import GGMLQuantizationType as Q
from gguf import GGUFWriter, GGUFValueType
from gguf.quants import dequantize, quantize

RNG = np.random.default_rng(20260526)


def halves(n, lo=-3.0, hi=3.0):
    """Random finite float16 bit patterns, returned as uint8 pairs."""
    return RNG.uniform(lo, hi, n).astype(np.float16).view(np.uint8).reshape(n, 2)


def random_blocks(qtype, n_blocks):
    """Random bytes for n_blocks blocks of qtype, with the f16 scale fields set to finite values."""
    from gguf.constants import GGML_QUANT_SIZES
    _, size = GGML_QUANT_SIZES[qtype]
    b = RNG.integers(0, 256, (n_blocks, size), dtype=np.uint8)
    half_fields = {  # byte offsets of the f16 fields of each block
        Q.Q4_0: [0], Q.Q4_1: [0, 2], Q.Q5_0: [0], Q.Q5_1: [0, 2], Q.Q8_0: [0],
        Q.Q4_K: [0, 2], Q.Q5_K: [0, 2], Q.Q6_K: [208],
    }[qtype]
    for off in half_fields:
        b[:, off:off + 2] = halves(n_blocks, 0.001, 0.1) if qtype != Q.Q6_K else halves(n_blocks, -0.01, 0.01)
    return b


def quant_types(path):
    w = GGUFWriter(str(path), "fedbiot-test")
    w.add_custom_alignment(64)
    w.add_uint8("test.u8", 200)
    w.add_int8("test.i8", -100)
    w.add_uint16("test.u16", 60000)
    w.add_int16("test.i16", -30000)
    w.add_uint32("test.u32", 4000000000)
    w.add_int32("test.i32", -2000000000)
    w.add_float32("test.f32", 0.1)
    w.add_uint64("test.u64", 2**63 + 5)
    w.add_int64("test.i64", -(2**62))
    w.add_float64("test.f64", 1e-300)
    w.add_bool("test.bool", True)
    w.add_string("test.string", "héllo wörld ✓")
    w.add_array("test.array_i32", [1, -2, 3])
    w.add_array("test.array_str", ["a", "bc", ""])
    w.add_key_value("test.array_nested", [[1, 2], [3]], GGUFValueType.ARRAY, sub_type=GGUFValueType.ARRAY)
    rows, cols = 2, 512
    for qtype in (Q.F32, Q.F16, Q.BF16):
        x = RNG.normal(0, 1, (rows, cols)).astype(np.float32)
        raw = x if qtype == Q.F32 else quantize(x, qtype)
        name = qtype.name.lower()
        w.add_tensor(name, raw, raw_dtype=qtype)
        w.add_tensor(name + ".expected", dequantize(raw, qtype).astype(np.float32))
    for qtype in (Q.Q4_0, Q.Q4_1, Q.Q5_0, Q.Q5_1, Q.Q8_0, Q.Q4_K, Q.Q5_K, Q.Q6_K):
        from gguf.constants import GGML_QUANT_SIZES
        block, size = GGML_QUANT_SIZES[qtype]
        raw = random_blocks(qtype, rows * cols // block).reshape(rows, cols // block * size)
        name = qtype.name.lower()
        w.add_tensor(name, raw, raw_dtype=qtype)
        expected = dequantize(raw, qtype).astype(np.float32)
        assert expected.shape == (rows, cols) and np.isfinite(expected).all(), qtype
        w.add_tensor(name + ".expected", expected)
    # A 3-D tensor: GGUF stores dims innermost first, so (2, 3, 32) in numpy is dims [32, 3, 2].
    w.add_tensor("cube", np.arange(2 * 3 * 32, dtype=np.float32).reshape(2, 3, 32))
    finish(w)


def bytes_to_unicode():
    """GPT-2's reversible map from bytes to printable unicode characters (a fact of byte-level BPE)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def hf_permute(w, n_head):
    """convert_hf_to_gguf.py's row order for LLaMA q/k: within each head, rows (2, h/2) -> (h/2, 2)."""
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def tiny_llama(gguf_path, hf_path):
    d, heads, kv, ff, layers = 32, 4, 2, 64, 2
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    byte_tokens = list(bytes_to_unicode().values())
    merges = ["Ġ t", "h e", "Ġt he", "i n", "Ġ a", "e r", "o n", "Ġ s", "in g", "Ġ w", "o r", "Ġw or", "l d", "Ġwor ld"]
    merged = [m.replace(" ", "") for m in merges]
    tokens = specials + byte_tokens + merged
    vocab = len(tokens)
    vocab_padded = vocab + (-vocab % 32)  # some vocabularies are padded; keep it a multiple of the Q8_0 block
    tokens += [f"<pad_{i}>" for i in range(vocab_padded - vocab)]
    types = [3] * len(specials) + [1] * (len(tokens) - len(specials) - (vocab_padded - vocab)) + [4] * (vocab_padded - vocab)

    w = GGUFWriter(str(gguf_path), "llama")
    w.add_name("fedbiot tiny llama")
    w.add_string("general.license", "apache-2.0")
    w.add_block_count(layers)
    w.add_context_length(256)
    w.add_embedding_length(d)
    w.add_feed_forward_length(ff)
    w.add_head_count(heads)
    w.add_head_count_kv(kv)
    w.add_rope_freq_base(100000.0)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_rope_dimension_count(d // heads)
    w.add_vocab_size(vocab_padded)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("smollm")
    w.add_token_list(tokens)
    w.add_token_types(types)
    w.add_token_merges(merges)
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_pad_token_id(2)
    w.add_add_bos_token(False)
    w.add_chat_template("{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}")

    hf = {}

    def mat(hf_name, gguf_name, rows, cols, permute_heads=None):
        x = RNG.normal(0, 0.2, (rows, cols)).astype(np.float32)
        stored = hf_permute(x, permute_heads) if permute_heads else x
        qx = quantize(stored, Q.Q8_0)
        w.add_tensor(gguf_name, qx, raw_dtype=Q.Q8_0)
        # Q8_0 blocks lie within rows, so quantising commutes with the row permutation: the expected HF tensor
        # is the dequantised original in HF row order.
        hf[hf_name] = dequantize(quantize(x, Q.Q8_0), Q.Q8_0).astype(np.float32)

    def vec(hf_name, gguf_name, n):
        x = (1 + RNG.normal(0, 0.1, n)).astype(np.float32)
        w.add_tensor(gguf_name, x)
        hf[hf_name] = x

    mat("model.embed_tokens.weight", "token_embd.weight", vocab_padded, d)
    for i in range(layers):
        p, g = f"model.layers.{i}.", f"blk.{i}."
        vec(p + "input_layernorm.weight", g + "attn_norm.weight", d)
        mat(p + "self_attn.q_proj.weight", g + "attn_q.weight", d, d, heads)
        mat(p + "self_attn.k_proj.weight", g + "attn_k.weight", kv * d // heads, d, kv)
        mat(p + "self_attn.v_proj.weight", g + "attn_v.weight", kv * d // heads, d)
        mat(p + "self_attn.o_proj.weight", g + "attn_output.weight", d, d)
        vec(p + "post_attention_layernorm.weight", g + "ffn_norm.weight", d)
        mat(p + "mlp.gate_proj.weight", g + "ffn_gate.weight", ff, d)
        mat(p + "mlp.up_proj.weight", g + "ffn_up.weight", ff, d)
        mat(p + "mlp.down_proj.weight", g + "ffn_down.weight", d, ff)
    vec("model.norm.weight", "output_norm.weight", d)
    finish(w)
    write_safetensors(hf_path, hf)


def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name, x in tensors.items():
        b = np.ascontiguousarray(x, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(x.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def finish(w):
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    quant_types(out / "quant-types.gguf")
    tiny_llama(out / "tiny-llama.gguf", out / "tiny-llama-hf.safetensors")
    for f in sorted(out.iterdir()):
        print(f.name, f.stat().st_size)
