/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import picocli.CommandLine;

/** Reports the fedbiot version from the jar manifest and the Java runtime. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = FedbiotCommand.class.getPackage().getImplementationVersion();
        return new String[] {"fedbiot " + (v == null ? "(development build)" : v),
            "Java " + System.getProperty("java.version")};
    }
}
