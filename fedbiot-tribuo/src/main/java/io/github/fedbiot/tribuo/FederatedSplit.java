/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

import io.github.fedbiot.data.DataSplits;
import io.github.fedbiot.data.InstructionExample;
import io.github.fedbiot.data.Partitioner;
import io.github.fedbiot.runtime.ClientData;
import io.github.fedbiot.runtime.FederatedDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.classification.Label;

/**
 * Turns a Tribuo dataset into the data of one federated run: each example becomes an instruction example
 * (text from the metadata field {@code textKey}, label as response, category from {@code partitionKey} or else
 * the label); a seeded shuffle puts the first {@code publicFraction} of them in the server's public data, and
 * the partitioner divides the rest among clients.
 *
 * @param textKey the metadata field holding the text
 * @param partitionKey the metadata field holding the category, blank to use the label
 * @param publicFraction the share of the examples held out as public data, in [0, 1)
 */
record FederatedSplit(String textKey, String partitionKey, double publicFraction) {

    /**
     * Returns the dataset's examples, checked to carry the metadata the split reads.
     *
     * @param dataset the dataset
     * @return its examples in order
     * @throws IllegalArgumentException if the dataset is empty or an example lacks the text or the category
     */
    List<Example<Label>> examples(Dataset<Label> dataset) {
        List<Example<Label>> all = new ArrayList<>();
        for (Example<Label> e : dataset) {
            all.add(e);
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("the dataset is empty");
        }
        for (int i = 0; i < all.size(); i++) {
            Example<Label> e = all.get(i);
            if (e.getMetadataValue(textKey).isEmpty()) {
                throw new IllegalArgumentException("example " + i + " has no metadata '" + textKey
                        + "' (the text to classify; see FedBiOTTrainer.textKey and TextExamples)");
            }
            if (!partitionKey.isBlank() && e.getMetadataValue(partitionKey).isEmpty()) {
                throw new IllegalArgumentException("example " + i + " has no metadata '" + partitionKey
                        + "' (the category to partition by; see FedBiOTTrainer.partitionKey)");
            }
        }
        return all;
    }

    /**
     * Divides checked examples into public data and clients {@code client-00 ..}.
     *
     * @param examples examples from {@link #examples}
     * @param encoder the prompt encoder that makes the instructions
     * @param partitioner divides the non-public examples among clients
     * @param seed the run's seed: the shuffle uses it, the partitioner {@code seed + 1}
     * @return the clients (train split only) and the public data
     */
    FederatedDataset split(List<Example<Label>> examples, PromptEncoder encoder, Partitioner partitioner,
            long seed) {
        List<InstructionExample> instructions = new ArrayList<>();
        for (Example<Label> e : shuffle(examples, seed)) {
            String label = e.getOutput().getLabel();
            String category = partitionKey.isBlank() ? label
                    : e.getMetadataValue(partitionKey).orElseThrow().toString();
            instructions.add(encoder.instruction(e.getMetadataValue(textKey).orElseThrow().toString(), label,
                    category));
        }
        int publicCount = (int) Math.floor(publicFraction * instructions.size());
        List<InstructionExample> publicData = instructions.subList(0, publicCount);
        List<List<InstructionExample>> parts = partitioner.partition(
                instructions.subList(publicCount, instructions.size()), seed + 1);
        List<ClientData> clients = new ArrayList<>();
        for (int c = 0; c < parts.size(); c++) {
            clients.add(new ClientData(String.format("client-%02d", c), parts.get(c).get(0).category(),
                    new DataSplits(parts.get(c), List.of(), List.of())));
        }
        return new FederatedDataset(clients, publicData);
    }

    /** A Fisher-Yates shuffle driven by the seed, so the public split is reproducible. */
    private static <E> List<E> shuffle(List<E> items, long seed) {
        List<E> out = new ArrayList<>(items);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = out.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            E tmp = out.get(i);
            out.set(i, out.get(j));
            out.set(j, tmp);
        }
        return out;
    }

    /**
     * Returns the number of training examples of each client.
     *
     * @param data a split's result
     * @return the sizes in client order
     */
    static List<Integer> clientSizes(FederatedDataset data) {
        return data.clients().stream().map(c -> c.splits().train().size()).toList();
    }
}
