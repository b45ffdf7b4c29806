/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.fedbiotapp.server.grpc;

import io.github.fedbiot.algorithm.AggregationOutcome;
import io.github.fedbiot.algorithm.ClientUpdate;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.Aggregation;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.NodeUpdate;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.Rejection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Converts a round's client updates from the aligner proto's {@link NodeUpdate}s into core {@link ClientUpdate}s
 * (the node id as the client id), and an {@link AggregationOutcome} into the proto's {@link Aggregation}. Decoding
 * checks only the encoding ({@link TensorSets}); whether an update may be aggregated is the validator's question.
 */
final class UpdateMessages {
    private UpdateMessages() {}

    /**
     * Decodes the updates of a round.
     *
     * @param updates the proto updates, in the order the ServerApp received them
     * @return the updates, in the same order, without metrics
     * @throws IllegalArgumentException naming the node and the tensor if a tensor set is malformed
     */
    static List<ClientUpdate> fromProto(List<NodeUpdate> updates) {
        return updates.stream().map(u -> new ClientUpdate(u.getNodeId(), samples(u.getNumExamples()),
                TensorSets.fromProto(u.getAdapterLora(), "adapter LoRA of node '" + u.getNodeId() + "'"),
                Map.of())).toList();
    }

    /**
     * Encodes an aggregation; rejections sorted by node id.
     *
     * @param outcome the aggregation
     * @return the proto message
     */
    static Aggregation toProto(AggregationOutcome outcome) {
        Aggregation.Builder b = Aggregation.newBuilder().setAdapterLora(TensorSets.toProto(outcome.adapterLora()))
                .addAllAccepted(outcome.accepted()).setSamples(outcome.samples());
        new TreeMap<>(outcome.rejected()).forEach((id, why) -> b.addRejected(Rejection.newBuilder().setNodeId(id)
                .setReason(why)));
        return b.build();
    }

    /**
     * Narrows a wire sample count to the core's int. Out-of-range counts saturate rather than wrap, so the
     * validator's sample-count rule rejects them instead of seeing a plausible wrapped value.
     */
    private static int samples(long numExamples) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, numExamples));
    }
}
