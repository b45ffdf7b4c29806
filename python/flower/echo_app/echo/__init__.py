"""Echo rounds: how long a SuperNode takes from a pulled message to its pushed reply, without training."""
