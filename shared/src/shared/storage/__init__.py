"""Object storage behind a small port: local disk (the offline default) or any S3 endpoint."""

from shared.storage.base import ObjectNotFound, ObjectStore, StorageError, check_key
from shared.storage.local import LocalDiskStore
from shared.storage.settings import StorageSettings, build_store
from shared.storage.signing import UrlSigner

__all__ = [
    "LocalDiskStore",
    "ObjectNotFound",
    "ObjectStore",
    "StorageError",
    "StorageSettings",
    "UrlSigner",
    "build_store",
    "check_key",
]
