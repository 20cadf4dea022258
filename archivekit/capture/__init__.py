"""Sources to capture: the original bytes and the facts of where they came from."""
