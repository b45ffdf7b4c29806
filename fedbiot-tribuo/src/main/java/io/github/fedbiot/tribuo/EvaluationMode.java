/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

/** Which model the trained adapter runs in when the returned Tribuo model classifies. */
public enum EvaluationMode {
    /** "AdapFu": the adapter plugged into the full model (all N layers; the server-side result). */
    ADAP_FU,
    /** "AdapEmu": the adapter on the emulator (compressed stack with the emulator's LoRA; what clients hold). */
    ADAP_EMU
}
