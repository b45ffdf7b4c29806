/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Extracts the final numeric answer of a GSM8K-style response, as FedBiOT's evaluation script does: the first
 * number after the trigger {@code The answer is}, otherwise the last number in the text. Numbers are
 * normalised (thousands separators removed, trailing zeros of decimals dropped) so that {@code 1,000},
 * {@code 1000.} and {@code 1000.0} compare equal.
 */
public final class AnswerExtractor {
    /** The phrase that introduces the answer. */
    public static final String TRIGGER = "The answer is";

    private static final Pattern NUMBER = Pattern.compile("-?\\d[\\d,]*(?:\\.\\d+)?|-?\\.\\d+");

    private AnswerExtractor() {}

    /**
     * Returns the normalised answer of a text.
     *
     * @param text a model response or a reference answer
     * @return the answer, or empty if the text holds no number
     */
    public static Optional<String> extract(String text) {
        int at = text.indexOf(TRIGGER);
        if (at >= 0) {
            Matcher m = NUMBER.matcher(text);
            if (m.find(at + TRIGGER.length())) {
                return Optional.of(normalise(m.group()));
            }
        }
        Matcher m = NUMBER.matcher(text);
        String last = null;
        while (m.find()) {
            last = m.group();
        }
        return Optional.ofNullable(last).map(AnswerExtractor::normalise);
    }

    /**
     * Returns whether a prediction's answer equals the reference's answer (both extracted).
     *
     * @param prediction the generated text
     * @param reference the reference response
     * @return true if both hold a number and the numbers are equal
     */
    public static boolean exactMatch(String prediction, String reference) {
        Optional<String> ref = extract(reference);
        return ref.isPresent() && ref.equals(extract(prediction));
    }

    private static String normalise(String number) {
        String s = number.replace(",", "");
        try {
            BigDecimal d = new BigDecimal(s).stripTrailingZeros();
            return d.signum() == 0 ? "0" : d.toPlainString();
        } catch (NumberFormatException e) {
            return s;
        }
    }
}
