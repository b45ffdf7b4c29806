/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.ConfigException;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.config.FedbiotConfigReader;
import io.github.fedbiot.model.ModelSpec;
import org.junit.jupiter.api.Test;

/** A run that does not fit its model's context or the machine's memory is refused before it allocates. */
class ModelFitTest {
    private static final ModelSpec TINY = ModelSpec.llama(128, 32, 2, 4, 2, 64, 1024, false);
    private static final long GB = 1L << 30;
    private static final ModelFit ROOMY = new ModelFit(8 * GB, 16 * GB);

    /** The defaults (data.max_length 512 among them) with the given keys, on a model with room for 512. */
    private static FedbiotConfig config(String yaml) {
        return FedbiotConfigReader.parse(yaml, true);
    }

    @Test
    void aSmallRunFits() {
        assertThatCode(() -> ROOMY.check(config("data:\n  max_length: 96\n"), TINY)).doesNotThrowAnyException();
        assertThatCode(() -> ModelFit.ofThisMachine().check(config("data:\n  max_length: 96\n"), TINY))
                .doesNotThrowAnyException();
    }

    @Test
    void aMaxLengthBeyondTheContextNamesBothKeys() {
        assertThatThrownBy(() -> ROOMY.check(config("data:\n  max_length: 1100\n"), TINY))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("data.max_length: 1100 exceeds")
                .hasMessageContaining("max_position_embeddings = 1024");
    }

    @Test
    void generationBeyondTheContextIsOnlyCutShort() {
        // the engine cuts the generation budget to the context: warned about, not refused
        String yaml = "data:\n  max_length: 1000\neval:\n  max_new_tokens: 64\n  generate_examples: 1\n";
        assertThatCode(() -> ROOMY.check(config(yaml), TINY)).doesNotThrowAnyException();
    }

    @Test
    void aHugeBatchIsRefusedNamingItsKey() {
        assertThatThrownBy(() -> ROOMY.check(config("client:\n  batch_size: 2147483647\n"), TINY))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("client.batch_size: 2147483647 examples")
                .hasMessageContaining("more than a batch holds");
        assertThatThrownBy(() -> ROOMY.check(config("server:\n  batch_size: 100000\n"), TINY))
                .hasMessageStartingWith("server.batch_size:").hasMessageContaining("of activations per step")
                .hasMessageContaining("16.0 GB of memory").hasMessageContaining("server.grad_accum");
    }

    @Test
    void theHeapIsCheckedToo() {
        ModelFit smallHeap = new ModelFit(1L << 20, 0);
        assertThatThrownBy(() -> smallHeap.check(config("eval:\n  batch_size: 4096\n  max_examples: 0\n"), TINY))
                .hasMessageStartingWith("eval.batch_size: 4096 examples").hasMessageContaining("Java heap");
    }
}
