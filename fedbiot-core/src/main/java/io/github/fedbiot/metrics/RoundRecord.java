/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.metrics;

/**
 * What happened in one round; one line of {@code metrics.jsonl} and one row of {@code metrics.csv}. Values not
 * measured in a round (e.g. evaluation between {@code eval.every} rounds, alignment in round 1) are NaN.
 * Round 0 is the server's pre-alignment before the first round.
 *
 * @param round the round (0: pre-alignment)
 * @param clientsSampled clients asked to train
 * @param clientsCompleted clients whose updates arrived in time
 * @param clientsDropped sampled clients that dropped out
 * @param clientsTimedOut clients that missed the deadline
 * @param updatesRejected updates rejected by validation
 * @param samples examples behind the aggregated updates
 * @param trainLoss mean client cross-entropy, weighted by samples
 * @param trainProximal mean client proximal term, weighted by samples
 * @param skippedBatches client micro-batches skipped for a non-finite loss
 * @param alignSteps server alignment steps run before this round's broadcast
 * @param alignNl2 mean NL2 term of that alignment
 * @param alignKl mean KL term of that alignment
 * @param alignSkippedBatches public micro-batches skipped for a non-finite loss
 * @param emuLoss AdapEmu held-out loss
 * @param emuPerplexity AdapEmu perplexity
 * @param emuExactMatch AdapEmu exact match
 * @param fuLoss AdapFu held-out loss
 * @param fuPerplexity AdapFu perplexity
 * @param fuExactMatch AdapFu exact match
 * @param bytesDownPerClient LoRA bytes the server sent to each sampled client (float32)
 * @param bytesUpPerClient LoRA bytes each completing client sent back (float32)
 * @param wallSeconds wall time of the round
 * @param heapBytes JVM heap in use at the end of the round
 * @param rssBytes resident set size of the process at the end of the round (-1 when unknown)
 */
public record RoundRecord(int round, int clientsSampled, int clientsCompleted, int clientsDropped,
        int clientsTimedOut, int updatesRejected, long samples, double trainLoss, double trainProximal,
        int skippedBatches, int alignSteps, double alignNl2, double alignKl, int alignSkippedBatches, double emuLoss,
        double emuPerplexity, double emuExactMatch, double fuLoss, double fuPerplexity, double fuExactMatch,
        long bytesDownPerClient, long bytesUpPerClient, double wallSeconds, long heapBytes, long rssBytes) {}
