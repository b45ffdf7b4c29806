/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model.gguf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.AtomicFile;
import io.github.fedbiot.tensor.DType;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.SafetensorsWriter;
import io.github.fedbiot.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts a LLaMA-architecture GGUF model into a Hugging Face model directory that transformers and the
 * fedbiot engine load: {@code config.json}, {@code generation_config.json}, {@code model.safetensors} (every
 * tensor dequantised, written as F32 or BF16), {@code tokenizer.json}, {@code tokenizer_config.json} and a
 * {@code README.md} recording the source file, its SHA-256 and its licence.
 *
 * <p>Tensor names are mapped by {@link GgufTensorNames}, the query and key rows are put back in Hugging Face
 * order by {@link RotaryLayout}, and every tensor's shape is checked against the {@link ModelSpec} read by
 * {@link GgufModelSpec}. A tensor the mapping does not know, a missing tensor or a wrong shape stops the
 * conversion with a message naming it; the output files are each written atomically.
 */
public final class GgufToHuggingFace {
    /** The tensors every LLaMA decoder layer has: q, k, v, o, gate, up, down and two norms. */
    private static final int LAYER_TENSORS = 9;

    private static final Logger LOG = LoggerFactory.getLogger(GgufToHuggingFace.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What a conversion produced.
     *
     * @param spec the model spec written to config.json
     * @param tensors the number of tensors written
     * @param parameters the number of values written
     * @param sourceTypes the number of source tensors per ggml type
     * @param sha256 the SHA-256 of the GGUF file
     */
    public record Result(ModelSpec spec, int tensors, long parameters, Map<GgmlType, Integer> sourceTypes,
            String sha256) {}

    /** The name of the kept GGUF file in a {@link #keepQuantized} directory. */
    public static final String QUANTIZED_FILE = "model.gguf";

    private GgufToHuggingFace() {}

    /**
     * Converts a GGUF file, writing float32 weights.
     *
     * @param ggufFile the .gguf file
     * @param outDir the output directory (created; existing files of the same names are replaced)
     * @return what was written
     */
    public static Result convert(Path ggufFile, Path outDir) {
        return convert(ggufFile, outDir, DType.F32);
    }

    /**
     * Converts a GGUF file.
     *
     * @param ggufFile the .gguf file
     * @param outDir the output directory (created; existing files of the same names are replaced)
     * @param dtype F32, or BF16 / F16 to halve the size of model.safetensors
     * @return what was written
     * @throws GgufFormatException if the file is malformed or not a supported model
     */
    public static Result convert(Path ggufFile, Path outDir, DType dtype) {
        if (dtype == null) {
            throw new IllegalArgumentException("dtype is null (use keepQuantized to keep the GGUF weights)");
        }
        return write(ggufFile, outDir, dtype);
    }

    /**
     * Writes a model directory that keeps the GGUF file's weights as they are: config.json, the tokenizer files
     * and README.md as {@link #convert} writes them, and a copy of the file as {@code model.gguf} instead of
     * model.safetensors. The fedbiot engine loads it with the weights held in their GGUF blocks
     * ({@code model.weight_format: as_stored}); transformers does not read it.
     *
     * @param ggufFile the .gguf file
     * @param outDir the output directory (created; existing files of the same names are replaced)
     * @return what was written ({@code tensors} and {@code parameters} count the GGUF file's tensors)
     * @throws GgufFormatException if the file is malformed or not a supported model
     */
    public static Result keepQuantized(Path ggufFile, Path outDir) {
        return write(ggufFile, outDir, null);
    }

    private static Result write(Path ggufFile, Path outDir, DType dtype) {
        try (GgufFile gguf = GgufReader.open(ggufFile)) {
            ModelSpec spec = GgufModelSpec.from(gguf);
            LOG.info("converting {} ({} tensors): {} layers, d={}, {} heads, {} kv heads, vocab {}", ggufFile,
                    gguf.tensors().size(), spec.numLayers(), spec.hiddenSize(), spec.numHeads(), spec.numKvHeads(),
                    spec.vocabSize());
            NamedTensors weights = dtype == null ? null : weights(gguf, spec);
            ObjectNode tokenizer = GgufTokenizerJson.build(gguf);
            ObjectNode tokenizerConfig = GgufTokenizerJson.config(gguf, spec.maxPositions());
            Map<GgmlType, Integer> types = new TreeMap<>();
            gguf.tensors().values().forEach(t -> types.merge(t.type(), 1, Integer::sum));
            String sha = sha256(ggufFile);

            Files.createDirectories(outDir);
            ObjectNode config = spec.toConfigJson();
            config.put("torch_dtype", dtype == null || dtype == DType.F32 ? "float32"
                    : dtype == DType.BF16 ? "bfloat16" : "float16");
            int pad = gguf.getInt("tokenizer.ggml.padding_token_id", -1);
            if (pad >= 0) {
                config.put("pad_token_id", pad);
            }
            writeJson(outDir.resolve("config.json"), config);
            ObjectNode gen = JSON.createObjectNode();
            if (spec.bosTokenId() >= 0) {
                gen.put("bos_token_id", spec.bosTokenId());
            }
            if (spec.eosTokenId() >= 0) {
                gen.put("eos_token_id", spec.eosTokenId());
            }
            if (pad >= 0) {
                gen.put("pad_token_id", pad);
            }
            writeJson(outDir.resolve("generation_config.json"), gen);
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", "pt");
            meta.put("source", ggufFile.getFileName().toString());
            meta.put("source_sha256", sha);
            if (dtype != null) {
                SafetensorsWriter.write(outDir.resolve("model.safetensors"), weights, meta, dtype);
            } else {
                AtomicFile.write(outDir.resolve(QUANTIZED_FILE), out -> Files.copy(ggufFile, out));
            }
            writeJson(outDir.resolve("tokenizer.json"), tokenizer);
            writeJson(outDir.resolve("tokenizer_config.json"), tokenizerConfig);
            writeText(outDir.resolve("README.md"), readme(gguf, ggufFile, sha, types, dtype));
            int count = dtype != null ? weights.size() : gguf.tensors().size();
            long values = dtype != null ? weights.numel()
                    : gguf.tensors().values().stream().mapToLong(GgufTensorInfo::count).sum();
            LOG.info("wrote {} tensors ({} values, {}) to {}", count, values, dtype == null ? "as stored" : dtype,
                    outDir);
            return new Result(spec, count, values, types, sha);
        } catch (IOException e) {
            throw new FedbiotException("cannot write the converted model to " + outDir + ": " + e, e);
        }
    }

    /**
     * Reads, dequantises, renames and reorders every tensor of a LLaMA GGUF file.
     *
     * @param gguf the open file
     * @param spec its spec (from {@link GgufModelSpec#from})
     * @return the tensors under Hugging Face names, in Hugging Face order
     * @throws GgufFormatException for an unknown, missing or misshapen tensor
     */
    public static NamedTensors weights(GgufFile gguf, ModelSpec spec) {
        // A corrupt block_count (say 10^9) must fail here, before the expected names of all its layers are listed.
        if ((long) spec.numLayers() * LAYER_TENSORS > gguf.tensors().size()) {
            throw new GgufFormatException("GGUF file " + gguf.path() + ": llama.block_count " + spec.numLayers()
                    + " needs at least " + (long) spec.numLayers() * LAYER_TENSORS + " tensors, the file has "
                    + gguf.tensors().size());
        }
        List<String> order = expectedNames(spec);
        Set<String> known = new HashSet<>(order);
        Map<String, Tensor> byName = new LinkedHashMap<>();
        for (GgufTensorInfo info : gguf.tensors().values()) {
            String hf = GgufTensorNames.toHuggingFace(info.name()).orElseThrow(() -> new GgufFormatException(
                    "GGUF file " + gguf.path() + ": tensor '" + info.name() + "' has no Hugging Face LLaMA name"));
            int layer = GgufTensorNames.layerOf(info.name());
            if (layer >= spec.numLayers()) {
                throw new GgufFormatException("GGUF file " + gguf.path() + ": tensor '" + info.name()
                        + "' belongs to layer " + layer + " but llama.block_count is " + spec.numLayers());
            }
            if (!known.contains(hf)) { // e.g. token_embd.bias, or a q bias in a model without attention biases
                throw new GgufFormatException("GGUF file " + gguf.path() + ": tensor '" + info.name() + "' ("
                        + hf + ") is not a weight of this LLaMA model");
            }
            int[] expected = expectedShape(hf, spec);
            if (!Arrays.equals(info.shape(), expected)) {
                throw new GgufFormatException("GGUF file " + gguf.path() + ": tensor '" + info.name() + "' has shape "
                        + Arrays.toString(info.shape()) + ", expected " + Arrays.toString(expected) + " for " + hf);
            }
            Tensor t = gguf.dequantize(info.name());
            if (hf.contains(".self_attn.q_proj.")) {
                t = RotaryLayout.toHuggingFace(t, spec.numHeads());
            } else if (hf.contains(".self_attn.k_proj.")) {
                t = RotaryLayout.toHuggingFace(t, spec.numKvHeads());
            }
            byName.put(hf, t);
        }
        NamedTensors.Builder b = NamedTensors.builder();
        List<String> missing = new ArrayList<>();
        for (String name : order) {
            Tensor t = byName.remove(name);
            if (t == null) {
                missing.add(name);
            } else {
                b.add(name, t);
            }
        }
        if (!missing.isEmpty()) {
            throw new GgufFormatException("GGUF file " + gguf.path() + ": missing tensors " + missing);
        }
        if (!byName.isEmpty()) {
            throw new GgufFormatException("GGUF file " + gguf.path() + ": unexpected tensors " + byName.keySet());
        }
        return b.build();
    }

    /**
     * Returns the Hugging Face tensor names of a LLaMA model, in the order transformers lists them.
     *
     * @param spec the model spec
     * @return the names
     */
    public static List<String> expectedNames(ModelSpec spec) {
        List<String> names = new ArrayList<>();
        names.add("model.embed_tokens.weight");
        for (int i = 0; i < spec.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            for (String m : List.of("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj")) {
                names.add(p + m + ".weight");
                if (spec.attentionBias()) {
                    names.add(p + m + ".bias");
                }
            }
            names.add(p + "self_attn.o_proj.weight");
            names.add(p + "mlp.gate_proj.weight");
            names.add(p + "mlp.up_proj.weight");
            names.add(p + "mlp.down_proj.weight");
            names.add(p + "input_layernorm.weight");
            names.add(p + "post_attention_layernorm.weight");
        }
        names.add("model.norm.weight");
        if (!spec.tieWordEmbeddings()) {
            names.add("lm_head.weight");
        }
        return names;
    }

    private static int[] expectedShape(String hf, ModelSpec s) {
        int d = s.hiddenSize();
        int q = s.numHeads() * s.headDim();
        int kv = s.numKvHeads() * s.headDim();
        if (hf.equals("model.embed_tokens.weight") || hf.equals("lm_head.weight")) {
            return new int[] {s.vocabSize(), d};
        }
        if (hf.endsWith("norm.weight")) {
            return new int[] {d};
        }
        String module = hf.substring(hf.lastIndexOf('.', hf.lastIndexOf('.') - 1) + 1, hf.lastIndexOf('.'));
        boolean bias = hf.endsWith(".bias");
        int[] w = switch (module) {
            case "q_proj" -> new int[] {q, d};
            case "k_proj", "v_proj" -> new int[] {kv, d};
            case "o_proj" -> new int[] {d, q};
            case "gate_proj", "up_proj" -> new int[] {s.intermediateSize(), d};
            case "down_proj" -> new int[] {d, s.intermediateSize()};
            default -> throw new IllegalStateException(hf);
        };
        return bias ? new int[] {w[0]} : w;
    }

    private static String readme(GgufFile gguf, Path file, String sha, Map<GgmlType, Integer> types, DType dtype) {
        StringBuilder r = new StringBuilder();
        r.append("# ").append(gguf.getString("general.name", file.getFileName().toString())).append("\n\n");
        if (dtype == null) {
            r.append("Converted by `fedbiot convert-gguf --keep-quantized` from a GGUF file, kept as `")
                    .append(QUANTIZED_FILE).append("` with its weights as stored (fedbiot loads it; transformers")
                    .append(" needs a conversion without --keep-quantized).\n\n");
        } else {
            r.append("Converted by `fedbiot convert-gguf` from a GGUF file; every tensor was dequantised and written as ")
                    .append(dtype).append(".\n\n");
        }
        r.append("- source file: `").append(file.getFileName()).append("`\n");
        r.append("- source SHA-256: `").append(sha).append("`\n");
        r.append("- source tensor types: ").append(types).append("\n");
        for (String k : List.of("general.organization", "general.basename", "general.finetune", "general.size_label",
                "general.license", "general.source.url", "general.source.huggingface.repository")) {
            if (gguf.has(k) && gguf.metadata().get(k).type() == GgufValueType.STRING) {
                r.append("- ").append(k).append(": ").append(gguf.getString(k)).append("\n");
            }
        }
        r.append("\nThe weights keep the licence of the source model (`general.license` above). They are the ")
                .append("quantised model's values, not the original full-precision weights.\n");
        return r.toString();
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void writeJson(Path file, ObjectNode node) throws IOException {
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
        AtomicFile.write(file, out -> out.write(bytes));
    }

    private static void writeText(Path file, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(file, out -> out.write(bytes));
    }
}
