"""Property sets of the careers and classroom tasks: each case with the properties its output must have."""
