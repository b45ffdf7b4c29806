/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.algorithm;

import io.github.fedbiot.config.Algorithm;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.model.LayerPlan;
import java.util.List;

/**
 * How one algorithm uses the shared round machinery; FedBiOT and the baselines differ only in these values.
 *
 * <table>
 * <caption>The algorithms</caption>
 * <tr><th>algorithm</th><th>adapter</th><th>emulator LoRA</th><th>alignment</th><th>clients</th></tr>
 * <tr><td>fedbiot</td><td>last K</td><td>yes</td><td>R0*E steps before round 1, E steps before every later
 * round</td><td>all</td></tr>
 * <tr><td>fedot</td><td>first + last pad</td><td>only with {@code server.fedot_distill}</td><td>R0*E steps once,
 * with {@code server.fedot_distill}</td><td>all</td></tr>
 * <tr><td>offsite</td><td>first + last pad</td><td>no</td><td>none</td><td>one holding all data</td></tr>
 * <tr><td>fedavg-full</td><td>every layer</td><td>no (no emulator)</td><td>none</td><td>all</td></tr>
 * </table>
 *
 * @param algorithm the algorithm
 * @param plan the layer split
 * @param emulatorHasLora whether LoRA is attached to the emulator layers (trained only by alignment)
 * @param preAlignSteps alignment steps before round 1
 * @param alignSteps alignment steps before each round after the first
 * @param singleClient whether all data belongs to one client (Offsite-Tuning)
 */
public record TrainingStrategy(Algorithm algorithm, LayerPlan plan, boolean emulatorHasLora, int preAlignSteps,
        int alignSteps, boolean singleClient) {

    /**
     * Returns the strategy a configuration asks for on a model of {@code numLayers} layers.
     *
     * @param config the configuration
     * @param numLayers the model's decoder layer count
     * @return the strategy
     * @throws io.github.fedbiot.ConfigException if the plan does not fit the model
     */
    public static TrainingStrategy of(FedbiotConfig config, int numLayers) {
        var plan = config.plan();
        var server = config.server();
        return switch (config.algorithm()) {
            case FEDBIOT -> new TrainingStrategy(Algorithm.FEDBIOT,
                    LayerPlan.lastK(numLayers, plan.adapterLayers(), plan.dropRate()), true, server.preAlignSteps(),
                    server.alignSteps(), false);
            case FEDOT -> new TrainingStrategy(Algorithm.FEDOT,
                    LayerPlan.firstAndLast(numLayers, plan.baselinePad(), plan.dropRate()), server.fedotDistill(),
                    server.fedotDistill() ? server.preAlignSteps() : 0, 0, false);
            case OFFSITE -> new TrainingStrategy(Algorithm.OFFSITE,
                    LayerPlan.firstAndLast(numLayers, plan.baselinePad(), plan.dropRate()), false, 0, 0, true);
            case FEDAVG_FULL -> new TrainingStrategy(Algorithm.FEDAVG_FULL, LayerPlan.fullModel(numLayers), false, 0, 0,
                    false);
        };
    }

    /** Returns the layers whose LoRA the clients train. @return the adapter layers */
    public List<Integer> adapterLayers() {
        return plan.adapterLayers();
    }

    /** Returns the layers that carry emulator LoRA. @return the emulator layers, or none */
    public List<Integer> emulatorLoraLayers() {
        return emulatorHasLora ? plan.emulatorLayers() : List.of();
    }

    /** Returns whether the server ever aligns the emulator (and so needs public data). @return true if so */
    public boolean aligns() {
        return preAlignSteps > 0 || alignSteps > 0;
    }
}
