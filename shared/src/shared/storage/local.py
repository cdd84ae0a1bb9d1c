"""Objects as files under one folder; the gateway serves them under a URL prefix (e.g. /media/<key>).

Public files are served to anyone at their plain path; a private one only through a short-lived URL
signed like S3's presigned ones (shared.storage.signing), which the gateway checks before serving.
"""

import os
import tempfile
from pathlib import Path

from shared.storage.base import ObjectNotFound, StorageError, check_key
from shared.storage.signing import UrlSigner


class LocalDiskStore:
    """Files under `root`; a write is atomic, so `exists` never sees half an object."""

    name = "local"

    def __init__(self, root: str | Path, media_url: str = "/media", signer: UrlSigner | None = None):
        self.root = Path(root).resolve()
        self._media_url = media_url.rstrip("/")
        self.signer = signer

    def path(self, key: str) -> Path:
        return self.root / check_key(key)

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        target = self.path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
            with os.fdopen(fd, "wb") as file:
                file.write(data)
            os.replace(temporary, target)
        except OSError as exc:
            raise StorageError(f"local store: cannot write {key}: {exc}") from exc

    def get(self, key: str) -> bytes:
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError:
            raise ObjectNotFound(key) from None
        except OSError as exc:
            raise StorageError(f"local store: cannot read {key}: {exc}") from exc

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def delete(self, key: str) -> None:
        try:
            self.path(key).unlink(missing_ok=True)
        except OSError as exc:
            raise StorageError(f"local store: cannot delete {key}: {exc}") from exc

    def url(self, key: str, expires: int = 3600, public: bool = False) -> str:
        """The path the gateway serves the file at: plain for `public` media, else signed for `expires` seconds.

        Only a string is made, for keys this platform stored (a list page makes dozens): the key is checked
        where it touches the disk, in `path`, which serving a URL goes through.
        """
        if public:
            return f"{self._media_url}/{key}"
        if self.signer is None:
            raise StorageError("local store: no MEDIA_URL_SECRET to sign a private file's URL with")
        return f"{self._media_url}/{key}?{self.signer.query(key, expires)}"
