/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

import io.github.fedbiot.engine.AlignRequest;
import io.github.fedbiot.engine.AlignResult;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.engine.LocalTrainRequest;
import io.github.fedbiot.engine.LocalTrainResult;
import io.github.fedbiot.engine.OptimizerConfig;
import io.github.fedbiot.model.LayerPlan;
import io.github.fedbiot.model.LoraInit;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.tensor.NamedTensors;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FedBiOT rounds written directly against the engine SPI, used by {@link FedBiOTTrainer}: pre-alignment of the
 * emulator for {@code R0 * E} steps, then per round every client trains the adapter LoRA on the compressed
 * model ({@link BaseModel#trainLocal}, proximal weight mu), the server averages the adapters weighted by
 * samples (FedAvg) and aligns the emulator for E steps on the public data ({@link BaseModel#alignEmulator},
 * KL weight lambda).
 *
 * <p>This is the documented stand-in for fedbiot-core's simulation runtime (not available when this module
 * was written); it has no client sampling, dropouts or checkpoints. All randomness (LoRA init, batch order,
 * dropout masks) derives from the seed.
 */
final class SpiFederation {
    private static final Logger logger = LoggerFactory.getLogger(SpiFederation.class);

    private SpiFederation() {}

    /**
     * Hyper-parameters of a run.
     *
     * @param plan the layer split
     * @param lora the LoRA settings
     * @param rounds communication rounds
     * @param localSteps optimizer steps per client per round
     * @param batchSize sequences per step
     * @param clientOptimizer the clients' AdamW settings
     * @param alignOptimizer the server's AdamW settings for alignment
     * @param mu the proximal weight
     * @param lambda the KL weight of alignment
     * @param alignSteps E, alignment steps per round
     * @param preAlignRounds R0, pre-alignment before round 0 is {@code R0 * E} steps
     * @param seed the seed
     */
    record Settings(LayerPlan plan, LoraSpec lora, int rounds, int localSteps, int batchSize,
            OptimizerConfig clientOptimizer, OptimizerConfig alignOptimizer, double mu, double lambda,
            int alignSteps, int preAlignRounds, long seed) {}

    /**
     * The outcome of a run.
     *
     * @param adapter the global adapter LoRA
     * @param emulator the emulator LoRA (empty without an emulator)
     * @param clientLoss per round, the sample-weighted mean client loss
     * @param alignNl2 per round, the mean NL2 of alignment (NaN without alignment)
     * @param alignKl per round, the mean KL of alignment (NaN without alignment)
     */
    record Result(NamedTensors adapter, NamedTensors emulator, List<Double> clientLoss, List<Double> alignNl2,
            List<Double> alignKl) {}

    static Result run(BaseModel base, PromptEncoder encoder, List<List<TrainingSample>> clients,
            List<TrainingSample> publicData, Settings s) {
        LayerPlan plan = s.plan();
        NamedTensors adapter = LoraInit.create(base.spec(), s.lora(), plan.adapterLayers(), s.seed());
        NamedTensors emulator = LoraInit.create(base.spec(), s.lora(), plan.emulatorLayers(), s.seed() + 1);
        boolean align = plan.hasEmulator() && s.alignSteps() > 0 && !publicData.isEmpty();
        SplittableRandom serverRng = new SplittableRandom(s.seed() + 2);
        if (align && s.preAlignRounds() > 0) {
            AlignResult pre = align(base, encoder, publicData, adapter, emulator, s.preAlignRounds() * s.alignSteps(),
                    s, serverRng);
            emulator = pre.emulatorLora();
            logger.info("pre-alignment: {} steps, NL2 {}, KL {}", pre.steps(), pre.meanNl2(), pre.meanKl());
        }
        List<Double> losses = new ArrayList<>();
        List<Double> nl2 = new ArrayList<>();
        List<Double> kl = new ArrayList<>();
        List<SplittableRandom> clientRngs = new ArrayList<>();
        for (int c = 0; c < clients.size(); c++) {
            clientRngs.add(new SplittableRandom(s.seed() * 31 + 1000 + c));
        }
        for (int round = 0; round < s.rounds(); round++) {
            List<NamedTensors> updates = new ArrayList<>();
            double[] weights = new double[clients.size()];
            double lossSum = 0;
            for (int c = 0; c < clients.size(); c++) {
                List<List<Batch>> steps = new ArrayList<>();
                for (int k = 0; k < s.localSteps(); k++) {
                    steps.add(List.of(sampleBatch(encoder, clients.get(c), s.batchSize(), clientRngs.get(c))));
                }
                LocalTrainResult r = base.trainLocal(new LocalTrainRequest(plan.compressedStack(), s.lora(),
                        emulator, adapter, steps, s.clientOptimizer(), s.mu(), true,
                        clientRngs.get(c).nextLong()));
                updates.add(r.trainedLora());
                weights[c] = r.samples();
                lossSum += r.meanLoss() * r.samples();
            }
            double total = 0;
            for (double w : weights) {
                total += w;
            }
            for (int c = 0; c < weights.length; c++) {
                weights[c] /= total;
            }
            adapter = NamedTensors.weightedSum(updates, weights);
            losses.add(lossSum / total);
            if (align) {
                AlignResult a = align(base, encoder, publicData, adapter, emulator, s.alignSteps(), s, serverRng);
                emulator = a.emulatorLora();
                nl2.add(a.meanNl2());
                kl.add(a.meanKl());
            } else {
                nl2.add(Double.NaN);
                kl.add(Double.NaN);
            }
            logger.info("[round {}] {} clients, mean loss {}, align NL2 {}, KL {}", round, clients.size(),
                    losses.get(round), nl2.get(round), kl.get(round));
        }
        return new Result(adapter, emulator, losses, nl2, kl);
    }

    private static AlignResult align(BaseModel base, PromptEncoder encoder, List<TrainingSample> publicData,
            NamedTensors adapter, NamedTensors emulator, int steps, Settings s, SplittableRandom rng) {
        List<List<Batch>> batches = new ArrayList<>();
        for (int k = 0; k < steps; k++) {
            batches.add(List.of(sampleBatch(encoder, publicData, s.batchSize(), rng)));
        }
        return base.alignEmulator(new AlignRequest(s.plan(), s.lora(), adapter, emulator, batches,
                s.alignOptimizer(), s.lambda(), rng.nextLong()));
    }

    private static Batch sampleBatch(PromptEncoder encoder, List<TrainingSample> data, int batchSize,
            SplittableRandom rng) {
        List<int[]> prompts = new ArrayList<>();
        List<int[]> responses = new ArrayList<>();
        for (int i = 0; i < batchSize; i++) {
            TrainingSample t = data.get(rng.nextInt(data.size()));
            prompts.add(t.prompt());
            responses.add(t.response());
        }
        return encoder.batch(prompts, responses);
    }
}
