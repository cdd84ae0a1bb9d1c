"""One handler module per message, named after it."""
