/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.engine.Engines;
import io.github.fedbiot.model.PeftAdapter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fedbiot export}: writes a trained adapter LoRA (a {@code simulate} run or a PEFT directory) as a PEFT
 * adapter directory that Hugging Face PEFT loads onto the base model, and/or as a Hugging Face checkpoint of the
 * full model with the adapter merged into its weights.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a trained adapter LoRA as a PEFT adapter (--peft) or a merged checkpoint (--merged).",
            "--adapter names a fedbiot simulate output directory or a PEFT adapter directory."})
public final class ExportCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "the base model directory")
    private Path model;

    @Option(names = "--adapter", required = true, paramLabel = "RUN_OR_PEFT_DIR",
            description = "a simulate output directory (checkpoint.safetensors) or a PEFT adapter directory")
    private Path adapter;

    @Option(names = "--peft", paramLabel = "OUT", description = "write a PEFT adapter directory here")
    private Path peft;

    @Option(names = "--merged", paramLabel = "OUT",
            description = "write the full model with the adapter merged in, as a Hugging Face directory, here")
    private Path merged;

    @Override
    public Integer call() {
        if (peft == null && merged == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --peft OUT, --merged OUT or both");
        }
        PrintWriter o = spec.commandLine().getOut();
        try (BaseModel m = Engines.getDefault().load(model)) {
            TrainedAdapter a = TrainedAdapter.read(adapter, m.spec());
            if (peft != null) {
                PeftAdapter.write(peft, m.spec(), a.lora(), a.tensors(), model.toAbsolutePath().toString());
                o.printf("PEFT adapter (rank %d, %d tensors) -> %s%n", a.lora().rank(), a.tensors().size(), peft);
            }
            if (merged != null) {
                m.saveMerged(merged, a.lora(), a.tensors());
                o.printf("merged checkpoint -> %s%n", merged);
            }
        }
        o.flush();
        return 0;
    }
}
