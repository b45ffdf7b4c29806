/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

import org.tribuo.Feature;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;

/**
 * Creates Tribuo examples that carry their text in metadata, the form {@link FedBiOTTrainer} and {@link
 * FedBiOTModel} read. Tribuo datasets reject examples without features, so each example also gets one
 * constant feature, {@value #TEXT_FEATURE}; FedBiOT ignores features.
 */
public final class TextExamples {
    /** The metadata key {@link FedBiOTTrainer} reads by default. */
    public static final String DEFAULT_TEXT_KEY = "text";
    /** The constant feature every text example carries. */
    public static final String TEXT_FEATURE = "fedbiot-text";

    private TextExamples() {}

    /**
     * Creates an example with the text under {@value #DEFAULT_TEXT_KEY}.
     *
     * @param text the text
     * @param label the label (or {@code LabelFactory.UNKNOWN_LABEL} to classify)
     * @return the example
     */
    public static ArrayExample<Label> of(String text, Label label) {
        return of(text, label, DEFAULT_TEXT_KEY);
    }

    /**
     * Creates an example with the text under the given metadata key.
     *
     * @param text the text
     * @param label the label
     * @param textKey the metadata key
     * @return the example
     * @throws IllegalArgumentException for a null or blank text
     */
    public static ArrayExample<Label> of(String text, Label label, String textKey) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("example text must not be blank");
        }
        ArrayExample<Label> ex = new ArrayExample<>(label);
        ex.add(new Feature(TEXT_FEATURE, 1.0));
        ex.setMetadataValue(textKey, text);
        return ex;
    }
}
