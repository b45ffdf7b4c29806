/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Test helper: frees unreachable direct buffers and reuses their memory with other bytes, as a busy JVM would. */
public final class FreedDirectMemory {
    private FreedDirectMemory() {}

    /**
     * Collects garbage, then allocates and fills small direct buffers, so that memory freed by the collection
     * holds {@code 0x7f} bytes (a float of about 3.4e38) if anything still reads it.
     *
     * @param buffers how many 64-byte buffers to fill
     * @return the number of bytes written (keeps the buffers in use until they are filled)
     */
    public static long collectAndReuse(int buffers) {
        System.gc();
        List<ByteBuffer> reuse = new ArrayList<>(buffers);
        long written = 0;
        for (int i = 0; i < buffers; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(64);
            while (b.hasRemaining()) {
                b.put((byte) 0x7f);
                written++;
            }
            reuse.add(b);
        }
        return reuse.size() == buffers ? written : -1;
    }
}
