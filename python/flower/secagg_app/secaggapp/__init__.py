"""A Flower app whose ServerApp runs Flower's own SecAggPlusWorkflow, used by the Java SecAgg+ interop tests."""
