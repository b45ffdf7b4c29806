/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.it.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fedbiot.djl.DjlBaseModel;
import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.engine.Engines;
import io.github.fedbiot.engine.LocalTrainRequest;
import io.github.fedbiot.engine.LocalTrainResult;
import io.github.fedbiot.engine.OptimizerConfig;
import io.github.fedbiot.model.LoraNames;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.model.PeftAdapter;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.SafetensorsReader;
import io.github.fedbiot.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks what the Java side exports with the real libraries: a LoRA adapter changed in Java (by local training
 * with the engine, or by a random perturbation) is written in PEFT format and as a merged full checkpoint;
 * {@code python/check_exports.py} loads the first with {@code PeftModel.from_pretrained} and the second with
 * {@code AutoModelForCausalLM.from_pretrained}, and their logits must equal the engine's.
 *
 * <p>Needs the pinned {@code hf} venv; it is created on first use (PyPI access), and the test fails with the
 * installer's output if that is impossible.
 */
class HfExportIT {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"llama", "llama-bias", "qwen2", "gpt2", "mistral-sw", "qwen2-sw"})
    void exportsLoadInTransformersAndPeft(String name, @TempDir Path tmp) {
        exportAndCheck(name, tmp, false);
    }

    /**
     * A FedBiOT adapter covers only the last layers: PEFT must load it with LoRA on those layers only
     * ({@code layers_to_transform}), and the merged checkpoint must change only them.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"llama", "gpt2"})
    void lastLayerAdapterLoadsInPeft(String name, @TempDir Path tmp) {
        exportAndCheck(name, tmp, true);
    }

    private static void exportAndCheck(String name, Path tmp, boolean lastLayerOnly) {
        Path dir = HfFixtures.root().resolve(name);
        HfFixtures.Expected exp = HfFixtures.expected(dir);
        PeftAdapter original = PeftAdapter.read(dir.resolve("adapter"));
        LoraSpec lora = original.lora();
        int last = ModelSpec.read(dir).numLayers() - 1;
        NamedTensors start = lastLayerOnly
                ? original.tensors().filter(n -> LoraNames.layerOf(n) == last) : original.tensors();
        Path adapterOut = tmp.resolve("adapter");
        Path mergedOut = tmp.resolve("merged");
        float[] javaLogits;
        try (DjlBaseModel model = (DjlBaseModel) Engines.get("djl").load(dir)) {
            List<Integer> stack = HfParityIT.fullStack(model.spec());
            NamedTensors changed = name.equals("llama") && !lastLayerOnly ? train(model, stack, lora, start, exp)
                    : perturb(start, 7);
            double change = changed.maxAbsDiff(start);
            assertTrue(change > 1e-3, name + ": the LoRA did not change (" + change + ")");
            javaLogits = model.logits(stack, lora, changed, exp.tokens(), exp.batch(), exp.seq());
            PeftAdapter.write(adapterOut, model.spec(), lora, changed, name);
            model.saveMerged(mergedOut, lora, changed);
        }
        checkOnlyAdaptedWeightsChanged(name, dir.resolve("model.safetensors"),
                mergedOut.resolve("model.safetensors"), changedNames(adapterOut));
        Path out = tmp.resolve("python-logits.safetensors");
        HfVenv.runScript("python/check_exports.py", List.of("--base", dir.toString(),
                "--tokens", dir.resolve("expected.safetensors").toString(), "--out", out.toString(),
                "--adapter", adapterOut.toString(), "--merged", mergedOut.toString()));
        Tensor peftLogits;
        Tensor mergedLogits;
        try (SafetensorsReader r = SafetensorsReader.open(out)) {
            peftLogits = r.read("logits_adapter");
            mergedLogits = r.read("logits_merged");
        }
        double dPeft = HfFixtures.maxAbsDiff(peftLogits.data(), javaLogits);
        double dMerged = HfFixtures.maxAbsDiff(mergedLogits.data(), javaLogits);
        double moved = HfFixtures.maxAbsDiff(exp.logitsLora().data(), javaLogits);
        System.out.printf("[hf-export] %-6s %s max|dlogits| PEFT adapter %.3e, merged checkpoint %.3e "
                + "(logits moved %.3f from the original adapter's)%n", name, lastLayerOnly ? "last layer" : "all layers",
                dPeft, dMerged, moved);
        assertTrue(dPeft <= HfParityIT.TOLERANCE, name + ": PEFT-loaded adapter logits differ by " + dPeft);
        assertTrue(dMerged <= HfParityIT.TOLERANCE, name + ": merged checkpoint logits differ by " + dMerged);
        assertTrue(moved > 100 * HfParityIT.TOLERANCE, name + ": the changed LoRA does not change the logits");
    }

    /** Returns the base weight names the adapter in dir changes. */
    private static Set<String> changedNames(Path adapterDir) {
        Set<String> out = new TreeSet<>();
        PeftAdapter.read(adapterDir).tensors().names().forEach(n -> out.add(LoraNames.baseWeight(n)));
        return out;
    }

    /** Merging must change exactly the adapted weights and copy every other one bit for bit. */
    private static void checkOnlyAdaptedWeightsChanged(String name, Path baseFile, Path mergedFile,
            Set<String> adapted) {
        try (SafetensorsReader b = SafetensorsReader.open(baseFile);
                SafetensorsReader m = SafetensorsReader.open(mergedFile)) {
            for (String w : b.names()) {
                assertTrue(m.contains(w), name + ": merged checkpoint lacks " + w);
                double d = b.read(w).maxAbsDiff(m.read(w));
                if (adapted.contains(w)) {
                    assertTrue(d > 1e-4, name + ": merging did not change " + w);
                } else {
                    assertEquals(0.0, d, name + ": merging changed " + w + ", which has no LoRA");
                }
            }
            assertTrue(b.names().containsAll(adapted), name + ": adapted weights " + adapted + " not all in base");
        }
    }

    /** A few AdamW steps of the engine's own local training on the fixture tokens (next-token loss). */
    private static NamedTensors train(DjlBaseModel model, List<Integer> stack, LoraSpec lora, NamedTensors start,
            HfFixtures.Expected exp) {
        Batch batch = new Batch(exp.batch(), exp.seq(), exp.tokens(), exp.tokens().clone(), exp.batch());
        List<List<Batch>> steps = List.of(List.of(batch), List.of(batch), List.of(batch));
        LocalTrainRequest req = new LocalTrainRequest(stack, lora, NamedTensors.empty(), start, steps,
                OptimizerConfig.DEFAULT.withLearningRate(1e-2), 0.0, false, 42L);
        LocalTrainResult res = model.trainLocal(req);
        return res.trainedLora();
    }

    /** Adds seeded noise (std 0.05) to every LoRA tensor. */
    private static NamedTensors perturb(NamedTensors lora, long seed) {
        Random rnd = new Random(seed);
        NamedTensors.Builder b = NamedTensors.builder();
        for (Map.Entry<String, Tensor> e : lora.asMap().entrySet()) {
            float[] d = e.getValue().data().clone();
            for (int i = 0; i < d.length; i++) {
                d[i] += (float) (0.05 * rnd.nextGaussian());
            }
            b.add(e.getKey(), new Tensor(e.getValue().shape(), d));
        }
        return b.build();
    }
}
