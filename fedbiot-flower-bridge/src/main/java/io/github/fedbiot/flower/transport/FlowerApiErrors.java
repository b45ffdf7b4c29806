/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the JSON error payload of Flower's SuperLink ({@code flwr.supercore.error.FlowerError}): HTTP bodies
 * are {@code {"code": 2007, "detail": "..."}}, gRPC status descriptions {@code {"code": ..., "public_message":
 * ...}}. Transports use it to build {@link FleetException}s.
 */
public final class FlowerApiErrors {
    /** flwr {@code ApiErrorCode.PUBLIC_KEY_ALREADY_IN_USE}. */
    public static final int PUBLIC_KEY_ALREADY_IN_USE = 23;
    /**
     * flwr {@code ApiErrorCode.FLEET_NODE_ACTIVATION_FAILED} (HTTP 412): the key is unknown, or its node is still
     * online.
     */
    public static final int FLEET_NODE_ACTIVATION_FAILED = 2004;
    /** flwr {@code ApiErrorCode.FLEET_RUN_STATUS_NOT_ALLOWED}. */
    public static final int FLEET_RUN_STATUS_NOT_ALLOWED = 2007;

    private static final ObjectMapper JSON = new ObjectMapper();

    private FlowerApiErrors() {}

    /**
     * A parsed error payload.
     *
     * @param code the numeric ApiErrorCode, or -1 if absent
     * @param detail the public message, or the raw text
     */
    public record ApiError(int code, String detail) {}

    /**
     * Parses a payload; text that is not Flower's JSON becomes {@code (-1, text)}.
     *
     * @param text the body or status description
     * @return the error
     */
    public static ApiError parse(String text) {
        if (text == null) {
            return new ApiError(-1, "");
        }
        try {
            JsonNode n = JSON.readTree(text);
            if (n != null && n.isObject() && n.has("code")) {
                JsonNode d = n.has("detail") ? n.get("detail") : n.get("public_message");
                String detail = d == null ? "" : d.isTextual() ? d.asText() : d.toString();
                if (n.has("extra")) {
                    detail += " (" + n.get("extra").asText() + ")";
                }
                return new ApiError(n.get("code").asInt(-1), detail);
            }
            if (n != null && n.isObject() && n.has("detail")) {
                return new ApiError(-1, n.get("detail").toString());
            }
        } catch (java.io.IOException | RuntimeException e) {
            // Not JSON: fall through.
        }
        return new ApiError(-1, text.length() > 500 ? text.substring(0, 500) + "..." : text);
    }

    /**
     * Returns the kind of failure a Flower error code stands for.
     *
     * @param code the numeric ApiErrorCode
     * @param fallback the kind to use for other codes
     * @return the kind
     */
    public static FleetException.Kind kindOf(int code, FleetException.Kind fallback) {
        return switch (code) {
            case PUBLIC_KEY_ALREADY_IN_USE -> FleetException.Kind.ALREADY_REGISTERED;
            case FLEET_RUN_STATUS_NOT_ALLOWED -> FleetException.Kind.RUN_NOT_RUNNING;
            default -> fallback;
        };
    }
}
