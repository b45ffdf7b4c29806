"""Flower's client-side DP wrappers around FedAvg, for the Java clipping-mod interop tests."""
