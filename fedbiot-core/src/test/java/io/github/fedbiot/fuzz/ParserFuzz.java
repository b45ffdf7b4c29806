/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.fuzz;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;

/**
 * What every parser fuzz test asserts about one generated input: the parse ends within {@link #TIME_LIMIT}, it
 * either succeeds or throws one of the project's own exceptions with a message, and it allocates no more than
 * its budget, so that a declared length is never allocated before it is checked.
 *
 * <p>Allocation is measured with the JDK's per-thread allocation counter ({@code com.sun.management}), on the
 * thread that runs the parse; the budget is a constant plus a multiple of the input's size.
 */
public final class ParserFuzz {
    /** The longest one parse of a fuzzed input may take. */
    public static final Duration TIME_LIMIT = Duration.ofSeconds(2);

    /** What one parse may allocate besides {@link #BYTES_PER_INPUT_BYTE} per input byte: buffers, JSON trees. */
    public static final long BASE_ALLOCATION = 32L << 20;

    /** What one parse may allocate per byte of its input (the data converted to float32, boxed metadata). */
    public static final long BYTES_PER_INPUT_BYTE = 64;

    private ParserFuzz() {}

    /** A parse of one input: returns normally or throws. */
    @FunctionalInterface
    public interface Parse {
        /**
         * Runs the parse.
         *
         * @throws Exception whatever the parser throws
         */
        void run() throws Exception;
    }

    /** How one input fared. */
    public enum Outcome {
        /** The input was accepted. */
        ACCEPTED,
        /** The input was refused with one of the allowed exceptions. */
        REFUSED
    }

    /**
     * Runs a parse and checks time, exceptions and allocation.
     *
     * @param input describes the input, for the failure message
     * @param inputBytes the size of the input, for the allocation budget
     * @param parse the parse
     * @param allowed the exceptions that may refuse the input (a subclass counts)
     * @return whether the input was accepted or refused
     */
    @SafeVarargs
    public static Outcome check(String input, long inputBytes, Parse parse, Class<? extends Throwable>... allowed) {
        long budget = BASE_ALLOCATION + BYTES_PER_INPUT_BYTE * inputBytes;
        Throwable[] thrown = new Throwable[1];
        long[] allocated = new long[1];
        assertTimeoutPreemptively(TIME_LIMIT, () -> {
            long before = allocatedBytes();
            try {
                parse.run();
            } catch (Throwable t) { // an OutOfMemoryError or StackOverflowError is a finding too
                thrown[0] = t;
            }
            allocated[0] = allocatedBytes() - before;
        }, () -> "parse of " + input + " took longer than " + TIME_LIMIT);
        if (allocated[0] > budget) {
            fail("parse of " + input + " (" + inputBytes + " bytes) allocated " + allocated[0]
                    + " bytes, over its budget of " + budget);
        }
        Throwable t = thrown[0];
        if (t == null) {
            return Outcome.ACCEPTED;
        }
        if (Arrays.stream(allowed).noneMatch(c -> c.isInstance(t))) {
            throw new AssertionError("parse of " + input + " threw " + t.getClass().getName()
                    + ", not one of " + Arrays.toString(allowed), t);
        }
        if (t.getMessage() == null || t.getMessage().isBlank()) {
            throw new AssertionError("parse of " + input + " threw " + t.getClass().getName()
                    + " without a message", t);
        }
        return Outcome.REFUSED;
    }

    /** Returns the bytes the current thread has allocated so far. */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
