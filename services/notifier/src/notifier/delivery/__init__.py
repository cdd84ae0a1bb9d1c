"""Outbound customer webhooks: the HTTP attempt, the retry policy, and scheduling through the broker."""
