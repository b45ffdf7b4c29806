/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import io.github.fedbiot.engine.Engines;
import io.github.fedbiot.engine.TextTokenizer;
import io.github.fedbiot.model.ModelSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints a model directory's shape, parameter count and tokenizer. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Prints a Hugging Face model directory's spec, parameter count and tokenizer.")
public final class InfoCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Model directory (config.json, *.safetensors).")
    private Path model;

    /**
     * Loads the model and prints its description.
     *
     * @return the exit code
     */
    @Override
    public Integer call() {
        try (var m = Engines.getDefault().load(model)) {
            ModelSpec s = m.spec();
            System.out.printf("model:        %s%n", model);
            System.out.printf("type:         %s (%s family)%n", s.modelType(), s.architecture());
            System.out.printf("parameters:   %,d%n", s.parameterCount());
            System.out.printf("layers:       %d, hidden %d, heads %d (kv %d, head dim %d), MLP %d%n", s.numLayers(),
                    s.hiddenSize(), s.numHeads(), s.numKvHeads(), s.headDim(), s.intermediateSize());
            System.out.printf("vocabulary:   %d, context %d, tied embeddings %s%n", s.vocabSize(), s.maxPositions(),
                    s.tieWordEmbeddings());
            if (s.ropeTheta() > 0) {
                System.out.printf("rope:         theta %s%s%n", s.ropeTheta(),
                        s.ropeScaling() == null ? "" : ", scaling " + s.ropeScaling());
            }
            System.out.printf("activation:   %s, norm eps %s, attention bias %s%n", s.hiddenAct(), s.normEps(),
                    s.attentionBias());
            if (m.hasTokenizer()) {
                TextTokenizer t = m.tokenizer();
                System.out.printf("tokenizer:    %d tokens, eos %d, pad %d%n", t.vocabSize(), t.eosId(), t.padId());
            } else {
                System.out.println("tokenizer:    none (no tokenizer.json)");
            }
            System.out.printf("engine:       %s%n", Engines.getDefault().version());
        }
        return 0;
    }
}
