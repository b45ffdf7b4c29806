"""A Flower app whose ServerApp runs Flower's own FedAvg, used by the Java SuperNode interop tests."""
