/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model.gguf;

import io.github.fedbiot.FedbiotException;

/** A GGUF file is malformed, truncated, or uses something this reader does not support; the message says what. */
public class GgufFormatException extends FedbiotException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception. @param message what is wrong, naming the file and the field or tensor */
    public GgufFormatException(String message) {
        super(message);
    }
}
