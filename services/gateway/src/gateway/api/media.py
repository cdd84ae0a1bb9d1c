"""Serving the local object store's public files: generated images and style previews, never style models."""

import re

from flask import Flask, send_from_directory

from gateway.errors import problem
from shared.storage import LocalDiskStore, ObjectStore, check_key

CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}
PUBLIC_KEYS = re.compile(r"^(generations/[A-Za-z0-9_-]+|styles/[A-Za-z0-9_-]+/images/\d+)\.(png|jpe?g|webp)$")


def serve_local_media(app: Flask, store: ObjectStore, url_prefix: str) -> None:
    """`GET <url_prefix>/<key>` when the store is the local disk and its URLs are this server's paths."""
    if not isinstance(store, LocalDiskStore) or not url_prefix.startswith("/"):
        return

    @app.get(f"{url_prefix.rstrip('/')}/<path:key>")
    def media(key: str):
        match = PUBLIC_KEYS.match(key)
        try:
            check_key(key)
        except ValueError:
            match = None
        if match is None or not store.exists(key):
            return problem(404, f"no file at {key[:200]}")
        response = send_from_directory(store.root, key, mimetype=CONTENT_TYPES[match.group(2)], max_age=3600)
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response
