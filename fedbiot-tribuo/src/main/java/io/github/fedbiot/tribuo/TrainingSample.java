/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

/**
 * One supervised sequence: the prompt's tokens and the response's tokens (the response is what the loss sees).
 *
 * @param prompt prompt token ids
 * @param response response token ids (label + EOS)
 */
public record TrainingSample(int[] prompt, int[] response) {}
