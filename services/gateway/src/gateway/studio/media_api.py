"""Serving the local object store's images: public ones to anyone, private ones by signed URL only.

A public style's previews and a public generation's image are served at their plain path. Every other
image (training images past the previews, a private or untrained style's, a private generation's) needs
the short-lived signed URL the API gives its owner; an unsigned, expired or tampered request for it is a
404 that never says whether the file exists. Style models and anything else are never served.
"""

from flask import Flask, request, send_from_directory

from gateway.platform.db import Database
from gateway.platform.problems import problem
from gateway.studio import media
from shared.storage import LocalDiskStore, ObjectStore, check_key

CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}
PUBLIC_MAX_AGE = 3600


def serve_local_media(app: Flask, store: ObjectStore, db: Database, url_prefix: str) -> None:
    """`GET <url_prefix>/<key>` when the store is the local disk and its URLs are this server's paths."""
    if not isinstance(store, LocalDiskStore) or not url_prefix.startswith("/"):
        return

    @app.get(f"{url_prefix.rstrip('/')}/<path:key>")
    def media_file(key: str):
        match = media.media_kind(key)
        try:
            check_key(key)
        except ValueError:
            match = None
        if match is None:
            return _missing(key)
        seconds_left = store.signer.seconds_left(key, request.args) if store.signer else None
        if seconds_left is None and not media.is_public(db.uow(), key):
            return _missing(key)
        if not store.exists(key):
            return _missing(key)
        mimetype = CONTENT_TYPES[match.group("extension")]
        if seconds_left is None:
            response = send_from_directory(store.root, key, mimetype=mimetype, max_age=PUBLIC_MAX_AGE)
        else:  # only for the holder of the URL, and no longer than it holds
            response = send_from_directory(store.root, key, mimetype=mimetype, max_age=None)
            response.cache_control.private = True
            response.cache_control.max_age = min(seconds_left, PUBLIC_MAX_AGE)
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def _missing(key: str):
    return problem(404, f"no file at {key[:200]}")
