/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.fuzz;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What every parser fuzz test asserts about one generated input: the parse ends within {@link #TIME_LIMIT}, it
 * either succeeds or throws one of the project's own exceptions with a message, and it allocates no more than
 * its budget, so that a declared length is never allocated before it is checked.
 *
 * <p>Each parse runs on a pooled daemon thread (a thread per input would cost more than most parses), and the
 * caller waits for it at most {@link #TIME_LIMIT}; a parse that overruns is interrupted and reported as a hang.
 * Allocation is measured with the JDK's per-thread allocation counter ({@code com.sun.management}) on that
 * thread; the budget is a constant plus a multiple of the input's size.
 */
public final class ParserFuzz {
    /** The longest one parse of a fuzzed input may take: generous, as builds share a few cores; a hang never ends. */
    public static final Duration TIME_LIMIT = Duration.ofSeconds(5);

    /** What one parse may allocate besides {@link #BYTES_PER_INPUT_BYTE} per input byte: buffers, JSON trees. */
    public static final long BASE_ALLOCATION = 32L << 20;

    /** What one parse may allocate per byte of its input (the data converted to float32, boxed metadata). */
    public static final long BYTES_PER_INPUT_BYTE = 64;

    private static final ExecutorService PARSERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "parser-fuzz");
        t.setDaemon(true); // a parse that hangs must not keep the test JVM alive
        return t;
    });

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

    /** What the parse did on its thread: what it threw (or null) and how many bytes it allocated. */
    private record Run(Throwable thrown, long allocated) {}

    /**
     * Runs a parse and checks time, exceptions and allocation.
     *
     * @param input describes the input, for a failure message
     * @param inputBytes the size of the input, for the allocation budget
     * @param parse the parse
     * @param allowed the exceptions that may refuse the input (a subclass counts)
     * @return whether the input was accepted or refused
     */
    @SafeVarargs
    public static Outcome check(Supplier<String> input, long inputBytes, Parse parse,
            Class<? extends Throwable>... allowed) {
        Future<Run> future = PARSERS.submit(() -> {
            long before = allocatedBytes();
            Throwable thrown = null;
            try {
                parse.run();
            } catch (Throwable t) { // an OutOfMemoryError or StackOverflowError is a finding too
                thrown = t;
            }
            return new Run(thrown, allocatedBytes() - before);
        });
        Run run;
        try {
            run = future.get(TIME_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new AssertionError("parse of " + input.get() + " took longer than " + TIME_LIMIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while parsing " + input.get(), e);
        } catch (ExecutionException e) {
            throw new AssertionError("parse of " + input.get() + " could not run", e.getCause());
        }
        long budget = BASE_ALLOCATION + BYTES_PER_INPUT_BYTE * inputBytes;
        if (run.allocated() > budget) {
            fail("parse of " + input.get() + " (" + inputBytes + " bytes) allocated " + run.allocated()
                    + " bytes, over its budget of " + budget);
        }
        Throwable t = run.thrown();
        if (t == null) {
            return Outcome.ACCEPTED;
        }
        if (Arrays.stream(allowed).noneMatch(c -> c.isInstance(t))) {
            throw new AssertionError("parse of " + input.get() + " threw " + t.getClass().getName()
                    + ", not one of " + Arrays.toString(allowed), t);
        }
        if (t.getMessage() == null || t.getMessage().isBlank()) {
            throw new AssertionError("parse of " + input.get() + " threw " + t.getClass().getName()
                    + " without a message", t);
        }
        return Outcome.REFUSED;
    }

    /**
     * Runs a parse that must refuse its input, with the checks of {@link #check}.
     *
     * @param input describes the input, for a failure message
     * @param inputBytes the size of the input, for the allocation budget
     * @param parse the parse
     * @param allowed the exception that must refuse the input (a subclass counts)
     * @return the refusal's message
     */
    public static String refusal(Supplier<String> input, long inputBytes, Parse parse,
            Class<? extends Throwable> allowed) {
        Throwable[] caught = new Throwable[1];
        Outcome o = check(input, inputBytes, () -> {
            try {
                parse.run();
            } catch (Exception e) {
                caught[0] = e;
                throw e;
            }
        }, allowed);
        if (o != Outcome.REFUSED) {
            fail("parse of " + input.get() + " accepted an input it must refuse");
        }
        return caught[0].getMessage();
    }

    /**
     * Deletes a directory and everything in it.
     *
     * @param dir the directory
     * @throws IOException if it cannot be listed
     */
    public static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Returns the bytes the current thread has allocated so far. */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
