"""The speed-only paths of the gateway, each with its parity test; FAST_PATHS=0 turns them all off (README.md)."""
