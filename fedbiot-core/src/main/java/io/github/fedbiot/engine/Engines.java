/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.engine;

import io.github.fedbiot.FedbiotException;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds training engines on the class path with {@link ServiceLoader}, once, on first use. The system
 * property {@code fedbiot.engine} (or the environment variable {@code FEDBIOT_ENGINE}) names the engine to
 * use; otherwise the provider with the lowest rank wins.
 */
public final class Engines {
    private Engines() {}

    /** Returns the names of the engines found, best rank first. @return the names */
    public static List<String> available() {
        return providers().stream().map(EngineProvider::getEngineName).toList();
    }

    /**
     * Returns the default engine.
     *
     * @return the engine named by {@code fedbiot.engine}, or the best-ranked one
     * @throws FedbiotException if no engine is on the class path
     */
    public static TrainingEngine getDefault() {
        String named = System.getProperty("fedbiot.engine", System.getenv("FEDBIOT_ENGINE"));
        if (named != null && !named.isBlank()) {
            return get(named);
        }
        List<EngineProvider> all = providers();
        if (all.isEmpty()) {
            throw new FedbiotException("No fedbiot engine found on the class path; add fedbiot-djl as a dependency");
        }
        return all.get(0).getEngine();
    }

    /**
     * Returns the engine with the given name.
     *
     * @param name the engine name
     * @return the engine
     * @throws IllegalArgumentException if no engine has that name
     */
    public static TrainingEngine get(String name) {
        for (EngineProvider p : providers()) {
            if (p.getEngineName().equals(name)) {
                return p.getEngine();
            }
        }
        throw new IllegalArgumentException("No engine '" + name + "'; available: " + available());
    }

    private static List<EngineProvider> providers() {
        return Providers.ALL;
    }

    /**
     * Holds the providers, looked up once, on first use: the JVM's class initialisation makes that lazy and
     * thread-safe, and the class path does not change after start.
     */
    private static final class Providers {
        static final List<EngineProvider> ALL = ServiceLoader.load(EngineProvider.class).stream()
                .map(ServiceLoader.Provider::get).sorted(Comparator.comparingInt(EngineProvider::getEngineRank))
                .toList();

        private Providers() {}
    }
}
