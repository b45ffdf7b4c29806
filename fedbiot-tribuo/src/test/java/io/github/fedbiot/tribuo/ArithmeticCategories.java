/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * A text-classification data set built from the project's embedded arithmetic task (fedbiot-cli's
 * default-task, Apache-2.0, from DeepMind's mathematics_dataset): the text is the question, the label its
 * generator module, shortened to one word. Three of the four modules are used (the fourth, add_sub_multiple,
 * differs from add_or_sub only by the number of terms).
 */
final class ArithmeticCategories {
    /** Category to label text. */
    static final Map<String, String> LABELS = Map.of(
            "numbers__place_value", "digit",
            "arithmetic__add_or_sub", "add",
            "numbers__round_number", "round");

    private ArithmeticCategories() {}

    /**
     * Reads the first {@code perCategory} questions of each category of a split.
     *
     * @param split train or test
     * @param perCategory examples per category
     * @return a dataset whose examples have metadata {@code text} and {@code category}, and the constant text feature
     */
    static MutableDataset<Label> load(String split, int perCategory) {
        Path file = Path.of(System.getProperty("fedbiot.root"), "fedbiot-cli/src/main/resources/fedbiot/default-task",
                split + ".jsonl");
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> ds = new MutableDataset<>(new SimpleDataSourceProvenance("arithmetic-categories-"
                + split + "-" + perCategory, OffsetDateTime.parse("2026-11-26T00:00:00Z"), factory), factory);
        ObjectMapper json = new ObjectMapper();
        Map<String, Integer> counts = new HashMap<>();
        try {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines) {
                JsonNode n = json.readTree(line);
                String category = n.get("category").asText();
                if (!LABELS.containsKey(category)) {
                    continue;
                }
                if (counts.merge(category, 1, Integer::sum) > perCategory) {
                    continue;
                }
                ArrayExample<Label> ex = TextExamples.of(n.get("instruction").asText(),
                        new Label(LABELS.get(category)));
                ex.setMetadataValue("category", category);
                ds.add(ex);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ds;
    }
}
