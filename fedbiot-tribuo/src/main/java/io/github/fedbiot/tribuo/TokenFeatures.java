/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

import static io.github.fedbiot.tribuo.FedBiOTModel.TOKEN_FEATURE_PREFIX;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.MutableFeatureMap;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;

/**
 * The prompt as Tribuo features: position {@code i} of the prompt is the feature {@code tok-000i} whose value
 * is the token id + 1 (so that Tribuo's sparse 0 means "no token"), the model's feature map and the ONNX
 * export's input.
 */
final class TokenFeatures {
    private TokenFeatures() {}

    /**
     * Returns the feature map of P token-position features {@code tok-0000 ..}, in position order.
     *
     * @param promptTokens P
     * @return the immutable map
     */
    static ImmutableFeatureMap featureMap(int promptTokens) {
        MutableFeatureMap fm = new MutableFeatureMap();
        for (int i = 0; i < promptTokens; i++) {
            fm.add(name(i), 1.0);
        }
        return new ImmutableFeatureMap(fm);
    }

    private static String name(int position) {
        return String.format("%s%04d", TOKEN_FEATURE_PREFIX, position);
    }

    /**
     * Returns an example with the unknown label that carries prompt token ids as features.
     *
     * @param ids the prompt's token ids
     * @return the example
     */
    static Example<Label> example(int[] ids) {
        ArrayExample<Label> ex = new ArrayExample<>(LabelFactory.UNKNOWN_LABEL);
        for (int i = 0; i < ids.length; i++) {
            ex.add(new Feature(name(i), ids[i] + 1.0));
        }
        return ex;
    }

    /**
     * Returns the prompt token ids of an example: encoded from its text when it has the text metadata, else
     * read back from its token features.
     *
     * @param example the example
     * @param textKey the metadata key of the text
     * @param encoder the prompt encoder
     * @return the prompt's token ids
     * @throws IllegalArgumentException if the example has neither the text nor a gap-free run of token features
     */
    static int[] prompt(Example<Label> example, String textKey, PromptEncoder encoder) {
        Optional<Object> text = example.getMetadataValue(textKey);
        if (text.isPresent()) {
            return encoder.prompt(text.get().toString());
        }
        Map<Integer, Integer> byPos = new HashMap<>();
        for (Feature f : example) {
            if (f.getName().startsWith(TOKEN_FEATURE_PREFIX)) {
                int pos = Integer.parseInt(f.getName().substring(TOKEN_FEATURE_PREFIX.length()));
                byPos.put(pos, (int) Math.round(f.getValue()) - 1);
            }
        }
        if (byPos.isEmpty()) {
            throw new IllegalArgumentException("example has neither metadata '" + textKey
                    + "' nor token features '" + TOKEN_FEATURE_PREFIX + "NNNN': " + example);
        }
        int[] ids = new int[byPos.size()];
        for (int i = 0; i < ids.length; i++) {
            Integer id = byPos.get(i);
            if (id == null || id < 0) {
                throw new IllegalArgumentException("token features must cover positions 0.." + (ids.length - 1)
                        + " with values >= 1 (token id + 1); position " + i + " is missing");
            }
            ids[i] = id;
        }
        return ids;
    }
}
