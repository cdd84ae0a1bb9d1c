"""Domain rules with no I/O: unit-testable on plain objects."""
