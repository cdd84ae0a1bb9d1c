"""Where objects are stored: every service that touches images inherits these settings."""

from pydantic import Field, model_validator

from shared.config import CommonSettings
from shared.storage.base import ObjectStore
from shared.storage.local import LocalDiskStore
from shared.storage.signing import UrlSigner


class StorageSettings(CommonSettings):
    """STORAGE_BACKEND=local (files under STORAGE_DIR) or s3 (S3_BUCKET at S3_ENDPOINT_URL or AWS)."""

    storage_backend: str = "local"
    storage_dir: str = "var/storage"
    storage_media_url: str = "/media"
    media_url_secret: str = Field("", description="Signs the local store's short-lived URLs of private files")
    s3_bucket: str = ""
    s3_region: str = "us-east-1"
    s3_endpoint_url: str | None = None
    aws_access_key_id: str = ""
    aws_secret_access_key: str = ""

    @model_validator(mode="after")
    def _check_storage(self):
        if self.storage_backend not in ("local", "s3"):
            raise ValueError("STORAGE_BACKEND must be local or s3")
        if self.storage_backend == "s3" and not self.s3_bucket:
            raise ValueError("STORAGE_BACKEND=s3 needs S3_BUCKET")
        return self


def build_store(settings: StorageSettings) -> ObjectStore:
    """The store the settings name (boto3 is imported only for s3)."""
    if settings.storage_backend == "s3":
        from shared.storage.s3 import S3Store

        return S3Store(
            settings.s3_bucket,
            settings.s3_region,
            settings.s3_endpoint_url,
            settings.aws_access_key_id,
            settings.aws_secret_access_key,
        )
    signer = UrlSigner(settings.media_url_secret) if settings.media_url_secret else None
    return LocalDiskStore(settings.storage_dir, settings.storage_media_url, signer)
