"""FedBiOT over Flower: a thin Python ServerApp; all FedBiOT maths runs in the Java emulator aligner and nodes."""
