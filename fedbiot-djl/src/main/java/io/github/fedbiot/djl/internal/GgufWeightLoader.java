/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import ai.djl.ndarray.NDManager;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.djl.internal.weights.StoredWeight;
import io.github.fedbiot.djl.internal.weights.StoredWeights;
import io.github.fedbiot.engine.WeightFormat;
import io.github.fedbiot.model.Architecture;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.model.gguf.GgufFile;
import io.github.fedbiot.model.gguf.GgufReader;
import io.github.fedbiot.model.gguf.GgufTensorInfo;
import io.github.fedbiot.model.gguf.GgufTensorNames;
import io.github.fedbiot.model.gguf.RotaryLayout;
import io.github.fedbiot.tensor.Tensor;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a LLaMA GGUF file's weights into native memory without converting them: F32, F16, BF16, Q8_0, Q4_0 and
 * Q4_1 matrices are copied from the memory-mapped file as they are stored (the blocks split into quants and
 * scales, the query and key rows put back in Hugging Face order on the way); vectors and the other types
 * (K-quants, Q5) are dequantised, one tensor at a time, and held as the requested format allows, float32 for
 * {@code as_stored}. A requested format other than a tensor's own dequantises and re-encodes that tensor.
 */
final class GgufWeightLoader {
    private static final Logger logger = LoggerFactory.getLogger(GgufWeightLoader.class);

    private GgufWeightLoader() {}

    static ModelWeights load(ModelSpec spec, Path file, WeightFormat format, NDManager manager) {
        if (spec.architecture() != Architecture.LLAMA) {
            throw new FedbiotException("GGUF weights " + file + ": only LLaMA-architecture models are read from GGUF");
        }
        StoredWeights factory = new StoredWeights(manager);
        try (GgufFile gguf = GgufReader.open(file)) {
            Map<String, GgufTensorInfo> byHf = new HashMap<>();
            for (GgufTensorInfo info : gguf.tensors().values()) {
                String hf = GgufTensorNames.toHuggingFace(info.name()).orElseThrow(() -> new FedbiotException(
                        "GGUF file " + file + ": tensor '" + info.name() + "' has no Hugging Face LLaMA name"));
                byHf.put(hf, info);
            }
            WeightChecks.requireLayerCount(spec, byHf.keySet(), file.toString());
            Map<String, Integer> widened = new HashMap<>();
            ModelWeights w = ModelWeights.assemble(spec, manager, factory, name -> {
                GgufTensorInfo info = byHf.get(name);
                if (info == null) {
                    throw new FedbiotException("GGUF file " + file + ": no tensor for '" + name + "'");
                }
                StoredWeight s = read(gguf, info, name, spec, format, factory);
                if (format == WeightFormat.AS_STORED && info.shape().length == 2
                        && !StoredWeights.keepsAsStored(info.type())) {
                    widened.merge(info.type().name(), 1, Integer::sum);
                }
                return s;
            });
            if (!widened.isEmpty()) {
                logger.warn("{}: tensors of types {} are held as float32 (only F32, F16, BF16, Q8_0, Q4_0 and Q4_1"
                        + " are kept as stored)", file, widened);
            }
            // Blocks kept as stored were never dequantized on the way in: a NaN scale shows only when widened.
            WeightChecks.requireFinite(w, file.toString());
            return w;
        } catch (RuntimeException e) {
            factory.close();
            throw e;
        }
    }

    private static StoredWeight read(GgufFile gguf, GgufTensorInfo info, String name, ModelSpec spec,
            WeightFormat format, StoredWeights factory) {
        int[] shape = info.shape();
        int heads = name.contains(".self_attn.q_proj.") ? spec.numHeads()
                : name.contains(".self_attn.k_proj.") ? spec.numKvHeads() : 0;
        boolean keep = shape.length == 2 && StoredWeights.keepsAsStored(info.type())
                && (format == WeightFormat.AS_STORED || format == StoredWeights.formatOf(info.type()));
        if (keep) {
            return factory.fromGguf(gguf.rawData(info.name()), info.type(), shape, rotaryRows(shape[0], heads));
        }
        Tensor t = gguf.dequantize(info.name());
        if (heads > 0) {
            t = RotaryLayout.toHuggingFace(t, heads);
        }
        WeightFormat target = format == WeightFormat.AS_STORED ? WeightFormat.F32 : format;
        return factory.fromFloats(t.data(), shape, StoredWeights.applicable(target, shape));
    }

    /** Maps a Hugging Face row of q or k to its GGUF row (the inverse of {@link RotaryLayout#toHuggingFace}). */
    private static IntUnaryOperator rotaryRows(int rows, int heads) {
        if (heads == 0) {
            return IntUnaryOperator.identity();
        }
        int headDim = rows / heads;
        int half = headDim / 2;
        return r -> {
            int h = r / headDim;
            int within = r % headDim;
            return h * headDim + 2 * (within % half) + within / half;
        };
    }
}
