"""The service layer: use cases called by the HTTP entrypoints and the relay."""
