"""Credentials: password hashing, JWTs, API-key secrets and rate limits (no web, no SQL)."""
