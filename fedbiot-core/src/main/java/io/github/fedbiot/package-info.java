/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/** FedBiOT for the JVM: the root package holds only the common exception type. */
package io.github.fedbiot;
