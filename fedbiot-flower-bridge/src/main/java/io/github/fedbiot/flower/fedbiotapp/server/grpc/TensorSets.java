/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.fedbiotapp.server.grpc;

import com.google.protobuf.ByteString;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.TensorSet;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Converts {@link NamedTensors} to and from the aligner proto's {@link TensorSet}: float32, row-major,
 * little-endian bytes per tensor. Decoding checks names, shapes and byte counts, so a malformed message is
 * rejected with a message naming the tensor instead of producing a wrong tensor.
 */
public final class TensorSets {
    private TensorSets() {}

    /**
     * Encodes tensors.
     *
     * @param tensors the tensors, in order
     * @return the proto message
     */
    public static TensorSet toProto(NamedTensors tensors) {
        TensorSet.Builder b = TensorSet.newBuilder();
        for (var e : tensors.asMap().entrySet()) {
            Tensor t = e.getValue();
            ByteBuffer buf = ByteBuffer.allocate(Math.multiplyExact(t.numel(), Float.BYTES))
                    .order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(t.data());
            var pt = io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.Tensor.newBuilder().setName(e.getKey())
                    .setData(ByteString.copyFrom(buf.array()));
            for (int d : t.shape()) {
                pt.addShape(d);
            }
            b.addTensors(pt);
        }
        return b.build();
    }

    /**
     * Decodes tensors.
     *
     * @param set the proto message
     * @param what what the tensors are, for error messages (e.g. {@code "adapter LoRA"})
     * @return the tensors, in order
     * @throws IllegalArgumentException naming the tensor if a name is empty or repeated, a dimension is negative
     *     or too large, or the byte count is not 4 times the element count
     */
    public static NamedTensors fromProto(TensorSet set, String what) {
        NamedTensors.Builder b = NamedTensors.builder();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (var pt : set.getTensorsList()) {
            String name = pt.getName();
            if (name.isEmpty()) {
                throw new IllegalArgumentException(what + ": a tensor has an empty name");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException(what + ": tensor '" + name + "' appears twice");
            }
            int[] shape = new int[pt.getShapeCount()];
            for (int i = 0; i < shape.length; i++) {
                long d = pt.getShape(i);
                if (d < 0 || d > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(what + ": tensor '" + name + "' has dimension " + d
                            + " (shape " + pt.getShapeList() + ")");
                }
                shape[i] = (int) d;
            }
            long numel = Tensor.numel(shape);
            if (numel > Integer.MAX_VALUE / Float.BYTES) {
                throw new IllegalArgumentException(what + ": tensor '" + name + "' of shape "
                        + Arrays.toString(shape) + " is too large");
            }
            if (pt.getData().size() != numel * Float.BYTES) {
                throw new IllegalArgumentException(what + ": tensor '" + name + "' of shape " + Arrays.toString(shape)
                        + " needs " + numel * Float.BYTES + " bytes of float32 data, found " + pt.getData().size());
            }
            float[] data = new float[(int) numel];
            pt.getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
            b.add(name, new Tensor(shape, data));
        }
        return b.build();
    }
}
