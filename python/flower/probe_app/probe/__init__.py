"""ServerApp that probes how a SuperNode answers bad instructions."""
