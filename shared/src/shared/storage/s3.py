"""Objects in an S3 bucket through boto3: AWS, or any S3-compatible endpoint (MinIO, moto, ...)."""

import boto3
import botocore.exceptions
from botocore.config import Config

from shared.storage.base import ObjectNotFound, StorageError, check_key

_MISSING = {"404", "NoSuchKey", "NotFound"}


class S3Store:
    """One bucket; `url` is a presigned GET that works without credentials until it expires."""

    name = "s3"

    def __init__(
        self,
        bucket: str,
        region: str = "us-east-1",
        endpoint_url: str | None = None,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        timeout: float = 10.0,
        client=None,
    ):
        self.bucket = bucket
        config = Config(
            signature_version="s3v4",
            connect_timeout=timeout,
            read_timeout=timeout,
            retries={"max_attempts": 3, "mode": "standard"},
            # A custom endpoint (MinIO, a stand-in on 127.0.0.1) rarely has per-bucket DNS names.
            s3={"addressing_style": "path" if endpoint_url else "auto"},
        )
        self._client = client or boto3.client(
            "s3",
            region_name=region,
            endpoint_url=endpoint_url or None,
            aws_access_key_id=access_key_id or None,
            aws_secret_access_key=secret_access_key or None,
            config=config,
        )

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        try:
            self._client.put_object(Bucket=self.bucket, Key=check_key(key), Body=data, ContentType=content_type)
        except botocore.exceptions.BotoCoreError as exc:
            raise StorageError(f"s3: cannot write {key}: {exc}") from exc
        except botocore.exceptions.ClientError as exc:
            raise StorageError(f"s3: cannot write {key}: {_code(exc)}") from exc

    def get(self, key: str) -> bytes:
        try:
            response = self._client.get_object(Bucket=self.bucket, Key=check_key(key))
            return response["Body"].read()
        except botocore.exceptions.ClientError as exc:
            if _code(exc) in _MISSING:
                raise ObjectNotFound(key) from None
            raise StorageError(f"s3: cannot read {key}: {_code(exc)}") from exc
        except botocore.exceptions.BotoCoreError as exc:
            raise StorageError(f"s3: cannot read {key}: {exc}") from exc

    def exists(self, key: str) -> bool:
        try:
            self._client.head_object(Bucket=self.bucket, Key=check_key(key))
        except botocore.exceptions.ClientError as exc:
            if _code(exc) in _MISSING:
                return False
            raise StorageError(f"s3: cannot look up {key}: {_code(exc)}") from exc
        except botocore.exceptions.BotoCoreError as exc:
            raise StorageError(f"s3: cannot look up {key}: {exc}") from exc
        return True

    def delete(self, key: str) -> None:
        """S3 answers a missing key's DELETE with 204 as well."""
        try:
            self._client.delete_object(Bucket=self.bucket, Key=check_key(key))
        except botocore.exceptions.ClientError as exc:
            raise StorageError(f"s3: cannot delete {key}: {_code(exc)}") from exc
        except botocore.exceptions.BotoCoreError as exc:
            raise StorageError(f"s3: cannot delete {key}: {exc}") from exc

    def url(self, key: str, expires: int = 3600, public: bool = False) -> str:
        """A presigned GET URL valid for `expires` seconds (signed locally, no request), public media too:
        the bucket itself is never public, so no object has a URL that lasts."""
        params = {"Bucket": self.bucket, "Key": check_key(key)}
        return self._client.generate_presigned_url("get_object", Params=params, ExpiresIn=expires)


def _code(exc: botocore.exceptions.ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", "unknown"))
