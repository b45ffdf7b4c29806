/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.ConfigException;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.tensor.AtomicFile;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.SafetensorsReader;
import io.github.fedbiot.tensor.SafetensorsWriter;
import io.github.fedbiot.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A LoRA adapter in the directory format of Hugging Face PEFT ({@code PeftModel.save_pretrained} /
 * {@code PeftModel.from_pretrained}): {@code adapter_config.json} and {@code adapter_model.safetensors}.
 *
 * <p>In the file, tensor names carry PEFT's {@code base_model.model.} prefix and no adapter-name segment, e.g.
 * {@code base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight}; in fedbiot (this record's
 * {@link #tensors()}) the prefix is stripped, as {@link LoraNames} builds them. LoRA A has shape {@code [r, in]}
 * and B {@code [out, r]}; GPT-2's {@code Conv1D} modules get {@code fan_in_fan_out: true}, which changes how
 * PEFT merges, not the shapes.
 *
 * @param lora the rank, alpha, dropout and target modules of {@code adapter_config.json}
 * @param tensors the LoRA tensors, named without the PEFT prefix
 * @param baseModelName {@code base_model_name_or_path}, or null
 * @param fanInFanOut whether the adapted modules store their weight as {@code [in, out]} (GPT-2)
 */
public record PeftAdapter(LoraSpec lora, NamedTensors tensors, String baseModelName, boolean fanInFanOut) {
    /** The adapter configuration file name. */
    public static final String CONFIG_FILE = "adapter_config.json";
    /** The adapter weights file name. */
    public static final String WEIGHTS_FILE = "adapter_model.safetensors";
    /** The prefix PEFT puts before the base model's parameter names. */
    public static final String PREFIX = "base_model.model.";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    private static final Pattern LORA_NAME = Pattern.compile("^(.+)\\.lora_([AB])\\.weight$");

    /** Checks the components. */
    public PeftAdapter {
        Objects.requireNonNull(lora, "lora");
        Objects.requireNonNull(tensors, "tensors");
    }

    /**
     * Writes an adapter directory that PEFT loads onto the base model. Everything is checked before anything is
     * written: each tensor must be a LoRA A or B of a target module of a decoder layer of {@code spec}, with the
     * shape {@link LoraNames#moduleDims} and the rank give, and each A must have its B.
     *
     * @param dir the directory (created if needed); the two files are replaced atomically
     * @param spec the base model
     * @param lora the LoRA settings (q/k/v targets are mapped to {@code c_attn} for GPT-2)
     * @param loraTensors the tensors, named as {@link LoraNames} builds them (without the PEFT prefix)
     * @param baseModelName written as {@code base_model_name_or_path} (a hub id or a path), or null
     * @throws FedbiotException naming the tensor if a name or shape does not fit, or if writing fails
     * @throws ConfigException naming {@code lora.targets} if a target is not a module of the family
     */
    public static void write(Path dir, ModelSpec spec, LoraSpec lora, NamedTensors loraTensors, String baseModelName) {
        Objects.requireNonNull(spec, "spec");
        LoraSpec mapped = lora.forArchitecture(spec.architecture());
        if (loraTensors.isEmpty()) {
            throw new FedbiotException("PEFT adapter for " + dir + ": no LoRA tensors to write");
        }
        checkAgainst(spec, mapped, loraTensors, "PEFT adapter for " + dir);
        boolean fanInFanOut = spec.architecture() == Architecture.GPT2;
        NamedTensors.Builder prefixed = NamedTensors.builder();
        loraTensors.asMap().forEach((name, t) -> prefixed.add(PREFIX + name, t));
        // FedBiOT adapts a subset of the layers (the last K); naming them keeps PEFT from creating LoRA modules,
        // and warning about missing keys, on the others
        TreeSet<Integer> layers = new TreeSet<>();
        loraTensors.names().forEach(n -> layers.add(LoraNames.layerOf(n)));
        List<Integer> subset = layers.size() < spec.numLayers() ? List.copyOf(layers) : null;
        ObjectNode config = config(mapped, baseModelName, fanInFanOut, subset);
        try {
            Files.createDirectories(dir);
            SafetensorsWriter.write(dir.resolve(WEIGHTS_FILE), prefixed.build(), Map.of("format", "pt"));
            byte[] json = JSON.writeValueAsBytes(config);
            AtomicFile.write(dir.resolve(CONFIG_FILE), out -> out.write(json));
        } catch (IOException e) {
            throw new FedbiotException("cannot write PEFT adapter to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Builds adapter_config.json with PEFT's keys, sorted as PEFT writes them. */
    private static ObjectNode config(LoraSpec lora, String baseModelName, boolean fanInFanOut, List<Integer> layers) {
        ObjectNode c = JSON.createObjectNode();
        c.putObject("alpha_pattern");
        c.putNull("auto_mapping");
        c.put("base_model_name_or_path", baseModelName);
        c.put("bias", "none");
        c.put("fan_in_fan_out", fanInFanOut);
        c.put("inference_mode", true);
        c.put("init_lora_weights", true);
        c.putNull("layers_pattern");
        if (layers == null) {
            c.putNull("layers_to_transform");
        } else {
            ArrayNode l = c.putArray("layers_to_transform");
            layers.forEach(l::add);
        }
        if (lora.alpha() == Math.rint(lora.alpha()) && Math.abs(lora.alpha()) < 1e9) {
            c.put("lora_alpha", (long) lora.alpha()); // PEFT types lora_alpha as an int
        } else {
            c.put("lora_alpha", lora.alpha());
        }
        c.put("lora_dropout", lora.dropout());
        c.putNull("modules_to_save");
        c.put("peft_type", "LORA");
        c.put("r", lora.rank());
        c.putObject("rank_pattern");
        c.putNull("revision");
        ArrayNode targets = c.putArray("target_modules");
        lora.targets().forEach(targets::add);
        c.put("task_type", "CAUSAL_LM");
        c.put("use_dora", false);
        c.put("use_rslora", false);
        return c;
    }

    /**
     * Reads an adapter directory written by PEFT or by {@link #write}.
     *
     * @param dir the directory holding {@code adapter_config.json} and {@code adapter_model.safetensors}
     * @return the adapter, with the tensor names' PEFT prefix stripped
     * @throws FedbiotException naming the file, key or tensor if the adapter is not a plain LoRA adapter of a
     *     causal LM that fedbiot can use (other PEFT types, DoRA, rsLoRA, LoRA biases, per-module ranks, bias
     *     training, {@code modules_to_save}, regex targets) or if a tensor name or shape is malformed
     */
    public static PeftAdapter read(Path dir) {
        Path configFile = dir.resolve(CONFIG_FILE);
        Path weightsFile = dir.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(configFile)) {
            throw new FedbiotException("no " + CONFIG_FILE + " in " + dir + " (is it a PEFT adapter directory?)");
        }
        if (!Files.isRegularFile(weightsFile)) {
            String hint = Files.isRegularFile(dir.resolve("adapter_model.bin"))
                    ? "; only safetensors adapters are supported, found adapter_model.bin" : "";
            throw new FedbiotException("no " + WEIGHTS_FILE + " in " + dir + hint);
        }
        PeftAdapterConfig config = PeftAdapterConfig.read(configFile);
        int rank = config.rank();
        List<String> targets = config.targets();
        Set<Integer> layersToTransform = config.layersToTransform();
        NamedTensors tensors;
        try (SafetensorsReader r = SafetensorsReader.open(weightsFile)) {
            NamedTensors.Builder b = NamedTensors.builder();
            for (String name : r.names()) {
                if (!name.startsWith(PREFIX)) {
                    throw new FedbiotException(weightsFile + ": tensor '" + name + "' does not start with '" + PREFIX
                            + "'; not a PEFT adapter file");
                }
                if (name.length() == PREFIX.length()) {
                    throw new FedbiotException(weightsFile + ": tensor '" + name + "' has no name after the prefix");
                }
                b.add(name.substring(PREFIX.length()), r.read(name));
            }
            tensors = b.build();
        }
        if (tensors.isEmpty()) {
            throw new FedbiotException(weightsFile + ": holds no tensors");
        }
        Set<String> modules = checkPairs(tensors, rank, weightsFile.toString());
        if (targets == null) { // PEFT resolved its defaults when it trained; take them from the names
            Set<String> inferred = new LinkedHashSet<>();
            modules.forEach(m -> inferred.add(m.substring(m.lastIndexOf('.') + 1)));
            targets = List.copyOf(inferred);
        } else {
            for (String m : modules) {
                if (targets.stream().noneMatch(t -> m.equals(t) || m.endsWith("." + t))) {
                    throw new FedbiotException(weightsFile + ": module '" + m + "' is not among the target_modules "
                            + targets + " of " + CONFIG_FILE);
                }
            }
        }
        if (layersToTransform != null) {
            for (String name : tensors.names()) {
                if (!layersToTransform.contains(LoraNames.layerOf(name))) {
                    throw new FedbiotException(weightsFile + ": tensor '" + PREFIX + name + "' is outside the "
                            + "layers_to_transform " + layersToTransform + " of " + CONFIG_FILE);
                }
            }
        }
        LoraSpec lora;
        try {
            lora = new LoraSpec(rank, config.alpha(), config.dropout(), targets);
        } catch (ConfigException e) {
            throw new FedbiotException(configFile + ": " + e.getMessage(), e);
        }
        return new PeftAdapter(lora, tensors, config.baseModelName(), config.fanInFanOut());
    }

    /**
     * Reads an adapter and checks that it fits a base model: every tensor a LoRA A/B of a target module of one
     * of the model's decoder layers, with the shapes the model's dimensions give.
     *
     * @param dir the adapter directory
     * @param spec the base model
     * @return the adapter
     * @throws FedbiotException naming the tensor that does not fit
     */
    public static PeftAdapter read(Path dir, ModelSpec spec) {
        PeftAdapter a = read(dir);
        LoraSpec mapped;
        try {
            mapped = a.lora().forArchitecture(spec.architecture());
        } catch (ConfigException e) {
            throw new FedbiotException(dir.resolve(CONFIG_FILE) + ": " + e.getMessage(), e);
        }
        checkAgainst(spec, mapped, a.tensors(), dir.resolve(WEIGHTS_FILE).toString());
        return a;
    }

    /**
     * Checks that every tensor is a LoRA A or B with a partner and the rank; returns the module paths.
     */
    private static Set<String> checkPairs(NamedTensors tensors, int rank, String where) {
        Set<String> modules = new LinkedHashSet<>();
        for (var e : tensors.asMap().entrySet()) {
            String name = e.getKey();
            Matcher m = LORA_NAME.matcher(name);
            if (!m.matches()) {
                String hint = name.matches(".*\\.lora_[AB]\\.[^.]+\\.weight$")
                        ? " (it has an adapter-name segment; PEFT saves names without one)"
                        : name.contains("lora_embedding") ? " (embedding LoRA is not supported)" : "";
                throw new FedbiotException(where + ": tensor '" + PREFIX + name + "' is not a LoRA weight named "
                        + "<module>.lora_A.weight or <module>.lora_B.weight" + hint);
            }
            String module = m.group(1);
            boolean isA = m.group(2).equals("A");
            String partner = module + (isA ? ".lora_B.weight" : ".lora_A.weight");
            if (!tensors.contains(partner)) {
                throw new FedbiotException(where + ": tensor '" + PREFIX + name + "' has no partner '" + PREFIX
                        + partner + "'");
            }
            Tensor t = e.getValue();
            if (t.rank() != 2 || (isA ? t.dim(0) : t.dim(1)) != rank) {
                throw new FedbiotException(where + ": tensor '" + PREFIX + name + "' has shape "
                        + Arrays.toString(t.shape()) + ", expected " + (isA ? "[" + rank + ", in]" : "[out, " + rank
                        + "]") + " for r = " + rank);
            }
            modules.add(module);
        }
        return modules;
    }

    /** Checks names and shapes against the model; {@code lora} has targets valid for the family. */
    private static void checkAgainst(ModelSpec spec, LoraSpec lora, NamedTensors tensors, String where) {
        checkPairs(tensors, lora.rank(), where);
        Architecture arch = spec.architecture();
        for (var e : tensors.asMap().entrySet()) {
            String name = e.getKey();
            int layer = LoraNames.layerOf(name);
            String target = null;
            if (layer >= 0 && layer < spec.numLayers()) {
                for (String t : lora.targets()) {
                    if (name.equals(LoraNames.loraA(arch, layer, t)) || name.equals(LoraNames.loraB(arch, layer, t))) {
                        target = t;
                    }
                }
            }
            if (target == null) {
                throw new FedbiotException(where + ": tensor '" + name + "' is not the LoRA A or B of a target module "
                        + lora.targets() + " of a decoder layer in [0, " + spec.numLayers() + ") of this "
                        + spec.modelType() + " model");
            }
            int[] dims = LoraNames.moduleDims(spec, target);
            int[] expected = name.endsWith(".lora_A.weight") ? new int[] {lora.rank(), dims[0]}
                    : new int[] {dims[1], lora.rank()};
            if (!e.getValue().hasShape(expected)) {
                throw new FedbiotException(where + ": tensor '" + name + "' has shape "
                        + Arrays.toString(e.getValue().shape()) + ", expected " + Arrays.toString(expected));
            }
        }
    }
}
