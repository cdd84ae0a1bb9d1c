"""The gateway: HTTP API, store, outbox relay and webhook receiver."""
