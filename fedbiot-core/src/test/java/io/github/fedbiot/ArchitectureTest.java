/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layering of fedbiot-core (docs/architecture.md): each package uses only the ones below it, so a
 * change in a lower package never needs the upper ones and the packages can be read bottom-up. The test fails
 * when a cycle, an upward import or an engine type comes back.
 */
class ArchitectureTest {
    private static final String ROOT = "io.github.fedbiot";
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(core);
    }

    @Test
    void eachPackageUsesOnlyTheLayersBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("errors").definedBy(ROOT)
                .layer("tensor").definedBy(ROOT + ".tensor..")
                .layer("model").definedBy(ROOT + ".model..")
                .layer("engine").definedBy(ROOT + ".engine..")
                .layer("data").definedBy(ROOT + ".data..")
                .layer("config").definedBy(ROOT + ".config..")
                .layer("algorithm").definedBy(ROOT + ".algorithm..")
                .layer("metrics").definedBy(ROOT + ".metrics..")
                .layer("privacy").definedBy(ROOT + ".privacy..")
                .layer("runtime").definedBy(ROOT + ".runtime..")
                .whereLayer("runtime").mayNotBeAccessedByAnyLayer()
                .whereLayer("privacy").mayOnlyBeAccessedByLayers("runtime")
                .whereLayer("metrics").mayOnlyBeAccessedByLayers("privacy", "runtime")
                .whereLayer("algorithm").mayOnlyBeAccessedByLayers("metrics", "privacy", "runtime")
                .whereLayer("config").mayOnlyBeAccessedByLayers("algorithm", "metrics", "privacy", "runtime")
                .whereLayer("data").mayOnlyBeAccessedByLayers("config", "algorithm", "metrics", "runtime")
                .whereLayer("engine").mayOnlyBeAccessedByLayers("data", "config", "algorithm", "metrics", "runtime")
                .whereLayer("model").mayOnlyBeAccessedByLayers("engine", "data", "config", "algorithm", "metrics",
                        "runtime")
                .check(core);
    }

    @Test
    void noEngineTransportOrTribuoTypeInCore() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("ai.djl..", "io.grpc..",
                "com.google.protobuf..", "org.tribuo..", "com.oracle.labs.mlrg.olcut..", "ai.onnxruntime..")
                .check(core);
    }
}
