"""The port every object store implements, and the errors it may raise."""

import re
from typing import Protocol

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-/]{0,511}$")


class StorageError(Exception):
    """The store could not be reached or refused the call; trying later may succeed."""


class ObjectNotFound(KeyError):
    """No object is stored under the key."""


def check_key(key: str) -> str:
    """`key` if it is a safe relative object key (no `..`, no leading slash, no odd characters)."""
    if not isinstance(key, str) or not _KEY.match(key) or ".." in key.split("/") or "//" in key:
        raise ValueError(f"invalid object key {key!r}")
    return key


class ObjectStore(Protocol):
    """Bytes under keys like `generations/<id>.png`; `url` is where a client can fetch one.

    `url(key, expires, public)`: a private object's URL works for `expires` seconds only (presigned);
    `public` lets a store give a plain, lasting URL for media anyone may see (S3 presigns every URL:
    its bucket is never public).
    """

    name: str

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None: ...

    def get(self, key: str) -> bytes: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None:
        """The object gone; a key with no object is no error (deleting twice is deleting once)."""

    def url(self, key: str, expires: int = 3600, public: bool = False) -> str: ...
