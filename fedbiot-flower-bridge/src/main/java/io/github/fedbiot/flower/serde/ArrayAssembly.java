/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.serde;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.fedbiot.flower.record.Array;
import io.github.fedbiot.flower.record.Npy;
import io.github.fedbiot.flower.record.NumpyDType;
import io.github.fedbiot.flower.record.RecordException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds one {@link Array} from Flower's objects: its {@code Array} object (dtype, shape, stype and
 * {@code arraychunk_ids}, the order of its {@code ArrayChunk} children), then the chunks one at a time in
 * {@link #chunkOrder()}. As soon as the first chunk tells the {@code .npy} header's length, storage of the
 * array's final size is allocated and every chunk body is copied into it as it arrives, so that a receiver that
 * pulls the chunks one by one can drop each after {@link #accept}: a large array then exists once, not twice,
 * while it is received.
 */
public final class ArrayAssembly {
    private static final int PREFIX = 10 + 65535;
    private final String what;
    private final String dtype;
    private final int[] shape;
    private final String stype;
    private final List<String> childIds;
    private final List<String> order;
    private final List<ByteBuffer> early = new ArrayList<>();
    private Array.Assembler assembler;
    private int next;

    private ArrayAssembly(String what, String dtype, int[] shape, String stype, List<String> childIds,
            List<String> order) {
        this.what = what;
        this.dtype = dtype;
        if (!Array.isLegacy(dtype, shape)) {
            NumpyDType.fromNumpyName(dtype); // unsupported dtypes are refused at once
        }
        this.shape = shape;
        this.stype = stype;
        this.childIds = childIds;
        this.order = order;
    }

    /**
     * Reads an {@code Array} object.
     *
     * @param arrayObject the object's bytes (head, divider, JSON body)
     * @param what how errors name the array, e.g. {@code record 'arrays', array '0'}
     * @return the assembly, waiting for the first chunk
     * @throws RecordException naming {@code what}, if the object is not a well-formed Array
     */
    public static ArrayAssembly open(byte[] arrayObject, String what) {
        FlowerObjects.Head h = FlowerObjects.parseHead(arrayObject);
        if (!"Array".equals(h.type())) {
            throw new RecordException(what + ": expected a Array object, got '" + h.type() + "'");
        }
        JsonNode meta = MessageSerde.jsonBody(arrayObject, what);
        JsonNode dtype = meta.get("dtype");
        JsonNode shape = meta.get("shape");
        JsonNode stype = meta.get("stype");
        JsonNode chunkIds = meta.get("arraychunk_ids");
        if (dtype == null || !dtype.isTextual() || shape == null || !shape.isArray() || stype == null
                || !stype.isTextual() || chunkIds == null || !chunkIds.isArray()) {
            throw new RecordException(what + ": Array body needs dtype, shape, stype and arraychunk_ids");
        }
        int[] dims = new int[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = shape.get(i);
            if (!d.canConvertToInt() || !d.isIntegralNumber() || d.asInt() < 0) {
                throw new RecordException(what + ": bad dimension " + d + " in shape " + shape);
            }
            dims[i] = d.asInt();
        }
        List<String> order = new ArrayList<>();
        Set<Integer> used = new HashSet<>();
        for (JsonNode idx : chunkIds) {
            if (!idx.canConvertToInt() || idx.asInt() < 0 || idx.asInt() >= h.childIds().size()) {
                throw new RecordException(what + ": arraychunk index " + idx + " out of range");
            }
            used.add(idx.asInt());
            order.add(h.childIds().get(idx.asInt()));
        }
        if (used.size() != h.childIds().size()) {
            throw new RecordException(what + ": Array head lists chunks its body does not use");
        }
        if (!Array.STYPE_NUMPY.equals(stype.asText())) {
            throw new RecordException(what + ": unsupported array stype '" + stype.asText() + "'; expected '"
                    + Array.STYPE_NUMPY + "'");
        }
        try {
            return new ArrayAssembly(what, dtype.asText(), dims, stype.asText(), h.childIds(), List.copyOf(order));
        } catch (RecordException e) {
            throw new RecordException(what + ": " + e.getMessage(), e);
        }
    }

    /** Returns the chunk ids of the Array object's head (unique, in head order). @return the ids */
    public List<String> childIds() {
        return childIds;
    }

    /** Returns the chunk ids in the order their bodies make the data (an id repeats if its chunk does). @return the ids */
    public List<String> chunkOrder() {
        return order;
    }

    /** Returns whether no chunk is used twice, so that each may be dropped after {@link #accept}. @return true if so */
    public boolean eachChunkOnce() {
        return new HashSet<>(order).size() == order.size();
    }

    /**
     * Takes the next chunk of {@link #chunkOrder()}; its body is copied (once the data's length is known), so the
     * caller may drop the object afterwards.
     *
     * @param id the chunk's id
     * @param chunkObject the chunk object's bytes
     * @throws RecordException naming the array, if the object is not an ArrayChunk or the data exceed the
     *     length the {@code .npy} header and the shape give
     * @throws IllegalStateException if {@code id} is not the next chunk or all chunks were taken
     */
    public void accept(String id, byte[] chunkObject) {
        if (next >= order.size() || !order.get(next).equals(id)) {
            throw new IllegalStateException("chunk " + id + " is not the next chunk of the array");
        }
        next++;
        FlowerObjects.Head h = FlowerObjects.parseHead(chunkObject);
        if (!"ArrayChunk".equals(h.type())) {
            throw new RecordException(what + ": expected a ArrayChunk object, got '" + h.type() + "'");
        }
        ByteBuffer body = ByteBuffer.wrap(chunkObject, h.bodyOffset(), h.bodyLength());
        try {
            if (assembler != null) {
                assembler.put(body);
                return;
            }
            early.add(body);
            Npy.Header header = Npy.readHeader(prefix(), false);
            if (header != null) {
                assembler = Array.assembler(dtype, shape, stype, header);
                early.forEach(assembler::put);
                early.clear();
            }
        } catch (RecordException e) {
            throw new RecordException(what + ": " + e.getMessage(), e);
        }
    }

    /** The first bytes of the data received so far, enough for any header of a .npy file of version 1. */
    private ByteBuffer prefix() {
        ByteBuffer p = ByteBuffer.allocate((int) Math.min(PREFIX, early.stream().mapToLong(ByteBuffer::remaining).sum()));
        for (ByteBuffer b : early) {
            ByteBuffer d = b.duplicate();
            int n = Math.min(p.remaining(), d.remaining());
            p.put(d.limit(d.position() + n));
        }
        return p.flip();
    }

    /**
     * Returns the array once every chunk was taken.
     *
     * @return the array
     * @throws RecordException naming the array, if chunks are missing or the data disagree with dtype or shape
     */
    public Array build() {
        if (next < order.size()) {
            throw new RecordException(what + ": " + (order.size() - next) + " of its chunks were not received");
        }
        try {
            return assembler != null ? assembler.build() : Array.fromParts(dtype, shape, stype, early);
        } catch (RecordException e) {
            throw new RecordException(what + ": " + e.getMessage(), e);
        }
    }
}
