/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import io.github.fedbiot.ConfigException;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.engine.Engines;
import io.github.fedbiot.engine.GenerationConfig;
import io.github.fedbiot.engine.TextTokenizer;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.tensor.NamedTensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Generates a continuation of a prompt with a model directory (greedy by default). */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generates text from a Hugging Face model directory (optionally with a trained adapter).")
public final class GenerateCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, description = "Model directory with tokenizer.json.")
    private Path model;

    @Option(names = "--prompt", required = true, description = "The prompt text.")
    private String prompt;

    @Option(names = "--max-new-tokens", defaultValue = "64", description = "Token budget (default ${DEFAULT-VALUE}).")
    private int maxNewTokens;

    @Option(names = "--temperature", defaultValue = "0", description = "0 for greedy (default), else sampling.")
    private double temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "Keep the k most likely tokens (0: all).")
    private int topK;

    @Option(names = "--top-p", defaultValue = "1", description = "Nucleus probability (1: all).")
    private double topP;

    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed (default ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--adapter", paramLabel = "DIR",
            description = "Apply a trained adapter LoRA: a simulate output directory or a PEFT adapter directory.")
    private Path adapter;

    /**
     * Loads the model, generates and prints the continuation.
     *
     * @return the exit code
     */
    @Override
    public Integer call() {
        GenerationConfig config;
        try {
            config = new GenerationConfig(maxNewTokens, temperature, topK, topP, seed, true);
        } catch (ConfigException e) {
            // the user typed an option, not a configuration key: name the option (generation.top_p -> --top-p)
            String option = "--" + e.key().substring(e.key().indexOf('.') + 1).replace('_', '-');
            throw new CommandLine.ParameterException(spec.commandLine(), option + ": "
                    + e.getMessage().substring(e.key().length() + 2));
        }
        try (BaseModel m = Engines.getDefault().load(model)) {
            TextTokenizer tk = m.tokenizer();
            int[] ids = tk.encode(prompt);
            if (ids.length == 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--prompt: encodes to no tokens");
            }
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < m.spec().numLayers(); i++) {
                all.add(i);
            }
            TrainedAdapter a = adapter == null ? new TrainedAdapter(new LoraSpec(1, 1, 0,
                    m.spec().architecture().defaultLoraTargets()), NamedTensors.empty())
                    : TrainedAdapter.read(adapter, m.spec());
            int[] out = m.generate(all, a.lora(), a.tensors(), ids, config);
            int[] text = java.util.Arrays.copyOf(ids, ids.length + out.length);
            System.arraycopy(out, 0, text, ids.length, out.length);
            System.out.println(tk.decode(text));
        }
        return 0;
    }
}
