/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void oddAndEvenSamples() {
        Stats s = Stats.of(5, 1, 3, 2, 4);
        assertEquals(3, s.median());
        assertEquals(2, s.p25());
        assertEquals(4, s.p75());
        assertEquals(1, s.min());
        assertEquals(5, s.max());
        assertEquals(5, s.n());
        assertEquals(2.5, Stats.of(1, 2, 3, 4).median());
        assertEquals(7, Stats.of(7).p75());
    }

    @Test
    void rejectsEmpty() {
        assertThrows(IllegalArgumentException.class, () -> Stats.of(List.of()));
    }
}
