/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.app;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The Java counterpart of Flower's {@code ClientApp}: handlers by message type. Flower's strategies send
 * {@code train} and {@code evaluate}; {@code query} and {@code <type>.<action>} types are also routed. A handler
 * registered for an exact type ({@code train.lora}) wins over one for its category ({@code train}).
 *
 * <pre>{@code
 * ClientApp app = ClientApp.builder()
 *         .optTrain((msg, ctx) -> ...)      // returns the reply RecordDict
 *         .optEvaluate((msg, ctx) -> ...)
 *         .build();
 * }</pre>
 */
public final class ClientApp {
    private final Map<String, MessageHandler> handlers;
    private final List<Mod> mods;

    private ClientApp(Map<String, MessageHandler> handlers, List<Mod> mods) {
        this.handlers = Collections.unmodifiableMap(handlers);
        this.mods = List.copyOf(mods);
    }

    /**
     * Returns a copy of this app whose handlers run inside more mods (after, i.e. inside, the existing ones), e.g.
     * {@code client.toClientApp().withMods(new FixedClippingMod())}.
     *
     * @param more the mods, the first outermost
     * @return the new app
     */
    public ClientApp withMods(Mod... more) {
        List<Mod> all = new ArrayList<>(mods);
        all.addAll(List.of(more));
        return new ClientApp(new LinkedHashMap<>(handlers), all);
    }

    /** Returns a new builder. @return the builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the handler of a message type: the exact type, else its category (the part before the dot).
     *
     * @param messageType e.g. {@code train} or {@code train.lora}
     * @return the handler, if any
     */
    public Optional<MessageHandler> handlerFor(String messageType) {
        MessageHandler h = handlers.get(messageType);
        if (h == null && messageType.contains(".")) {
            h = handlers.get(messageType.substring(0, messageType.indexOf('.')));
        }
        return Optional.ofNullable(h).map(handler -> Mod.wrap(handler, mods));
    }

    /** Returns the message types with a handler. @return the types */
    public Set<String> messageTypes() {
        return handlers.keySet();
    }

    /** Builds a {@link ClientApp}; at least one handler is required. */
    public static final class Builder {
        private final LinkedHashMap<String, MessageHandler> handlers = new LinkedHashMap<>();
        private final List<Mod> mods = new ArrayList<>();

        Builder() {}

        /**
         * Sets the handler of {@code train} messages.
         *
         * @param handler the handler
         * @return this builder
         */
        public Builder optTrain(MessageHandler handler) {
            return addHandler("train", handler);
        }

        /**
         * Sets the handler of {@code evaluate} messages.
         *
         * @param handler the handler
         * @return this builder
         */
        public Builder optEvaluate(MessageHandler handler) {
            return addHandler("evaluate", handler);
        }

        /**
         * Sets the handler of {@code query} messages.
         *
         * @param handler the handler
         * @return this builder
         */
        public Builder optQuery(MessageHandler handler) {
            return addHandler("query", handler);
        }

        /**
         * Sets the handler of a message type or category.
         *
         * @param messageType {@code train}, {@code evaluate}, {@code query} or {@code <one of them>.<action>}
         * @param handler the handler
         * @return this builder
         * @throws IllegalArgumentException if the type is not one Flower allows
         */
        public Builder addHandler(String messageType, MessageHandler handler) {
            Objects.requireNonNull(handler, "handler");
            String category = messageType.contains(".") ? messageType.substring(0, messageType.indexOf('.'))
                    : messageType;
            if (!Set.of("train", "evaluate", "query").contains(category)
                    || messageType.endsWith(".") || messageType.indexOf('.') != messageType.lastIndexOf('.')) {
                throw new IllegalArgumentException("message type '" + messageType
                        + "' is not train, evaluate, query or <one of them>.<action>");
            }
            handlers.put(messageType, handler);
            return this;
        }

        /**
         * Adds a mod around every handler; mods run in the order added, the first outermost.
         *
         * @param mod the mod
         * @return this builder
         */
        public Builder addMod(Mod mod) {
            mods.add(Objects.requireNonNull(mod, "mod"));
            return this;
        }

        /**
         * Builds the app.
         *
         * @return the app
         * @throws IllegalArgumentException if no handler was set
         */
        public ClientApp build() {
            if (handlers.isEmpty()) {
                throw new IllegalArgumentException("a ClientApp needs at least one handler (optTrain, optEvaluate, "
                        + "optQuery or addHandler)");
            }
            return new ClientApp(new LinkedHashMap<>(handlers), mods);
        }
    }
}
