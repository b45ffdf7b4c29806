/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot;


/** Thrown when a configuration value is missing, unknown or invalid; it names the key and the value. */
public class ConfigException extends FedbiotException {
    private static final long serialVersionUID = 1L;
    /** The longest value a message repeats: a megabyte-long value must not flood the terminal. */
    private static final int MAX_SHOWN = 60;

    private final String key;

    /**
     * Creates an exception for a bad configuration key.
     *
     * @param key the dotted configuration key, e.g. {@code lora.rank}
     * @param message what is wrong, naming the value found
     */
    public ConfigException(String key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    /**
     * Creates an exception for a bad configuration key with a cause.
     *
     * @param key the dotted configuration key
     * @param message what is wrong
     * @param cause the underlying failure
     */
    public ConfigException(String key, String message, Throwable cause) {
        super(key + ": " + message, cause);
        this.key = key;
    }

    /** Returns the configuration key at fault. @return the dotted key */
    public String key() {
        return key;
    }

    /**
     * Throws a {@code ConfigException} unless {@code condition} holds.
     *
     * @param condition the check
     * @param key the key checked
     * @param value the value found (its first 60 characters are shown)
     * @param rule what the value must satisfy, e.g. "must be > 0"
     */
    public static void require(boolean condition, String key, Object value, String rule) {
        if (!condition) {
            String shown = String.valueOf(value);
            if (shown.length() > MAX_SHOWN) {
                shown = shown.substring(0, MAX_SHOWN) + "... (" + shown.length() + " characters)";
            }
            throw new ConfigException(key, rule + " (found " + shown + ")");
        }
    }
}
