/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * Instruction data: {@link io.github.fedbiot.data.InstructionExample}s loaded from Alpaca, Dolly-15k, GSM8K and
 * CodeAlpaca-style JSON or JSONL, the {@link io.github.fedbiot.data.PromptTemplate}s ({@code data.prompt_template}:
 * Alpaca, the model's chat template, or a user's text), tokenization into
 * right-padded batches trained on response tokens only, seeded partitions among clients (iid, by category,
 * Dirichlet) and splits, and the GSM8K {@link io.github.fedbiot.data.AnswerExtractor}.
 */
package io.github.fedbiot.data;
