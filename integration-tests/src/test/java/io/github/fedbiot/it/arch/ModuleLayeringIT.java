/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.it.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of the product modules (docs/architecture.md), checked over their main classes together: no package
 * cycle anywhere, and each outside library reached only from the one place that adapts it, so that swapping an
 * engine, a transport or a trainer framework stays a change of one package. Core's own layering is checked in
 * fedbiot-core (ArchitectureTest).
 */
class ModuleLayeringIT {
    private static final String ROOT = "io.github.fedbiot";
    private static JavaClasses product;

    @BeforeAll
    static void importProduct() {
        // Main classes only: the reactor hands them over as target/classes or as the packaged jars, the test
        // helpers as target/test-classes or -tests.jar.
        ImportOption mainOnly = location -> !location.contains("-tests.jar") && !location.contains("/test-classes/");
        product = new ClassFileImporter().withImportOption(mainOnly).importPackages(ROOT);
    }

    @Test
    void noPackageCycleAcrossModules() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(product);
    }

    @Test
    void onlyTheEngineModuleTouchesDjl() {
        noClasses().that().resideOutsideOfPackages(ROOT + ".djl..")
                .should().dependOnClassesThat().resideInAnyPackage("ai.djl..").check(product);
    }

    @Test
    void onlyTransportPackagesTouchGrpc() {
        noClasses().that().resideOutsideOfPackages(ROOT + ".flower.transport.grpc..",
                        ROOT + ".flower.fedbiotapp.server.grpc..", ROOT + ".flower.proto..")
                .should().dependOnClassesThat().resideInAnyPackage("io.grpc..").check(product);
    }

    @Test
    void onlyTheTribuoModuleTouchesTribuoAndOlcut() {
        noClasses().that().resideOutsideOfPackages(ROOT + ".tribuo..")
                .should().dependOnClassesThat().resideInAnyPackage("org.tribuo..", "com.oracle.labs.mlrg.olcut..")
                .check(product);
    }

    @Test
    void theCommandLineUsesTheEngineOnlyThroughTheSpi() {
        noClasses().that().resideInAPackage(ROOT + ".cli..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".djl..").check(product);
    }

    @Test
    void coreDependsOnNoOtherModule() {
        noClasses().that().resideInAnyPackage(ROOT, ROOT + ".tensor..", ROOT + ".model..", ROOT + ".engine..",
                        ROOT + ".data..", ROOT + ".config..", ROOT + ".algorithm..", ROOT + ".metrics..",
                        ROOT + ".privacy..", ROOT + ".runtime..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".djl..", ROOT + ".flower..",
                        ROOT + ".tribuo..", ROOT + ".cli..")
                .check(product);
    }
}
