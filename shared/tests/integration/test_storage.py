"""The object store port: local disk, and S3 through boto3 against moto's real S3 server (boto3 not patched)."""

import socket

import boto3
import httpx
import pytest

from shared.storage import LocalDiskStore, ObjectNotFound, StorageError, StorageSettings, build_store
from shared.storage.s3 import S3Store

BUCKET = "studio-test"
CREDENTIALS = {"access_key_id": "testing", "secret_access_key": "testing"}


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's S3 server on a free local port, with the test bucket."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    if request.param == "local":
        return LocalDiskStore(tmp_path / "storage")
    endpoint = request.getfixturevalue("s3_endpoint")
    return S3Store(BUCKET, "us-east-1", endpoint, **CREDENTIALS)


def test_put_get_exists(store):
    store.put("generations/g1.png", b"\x89PNG fake", "image/png")

    assert store.exists("generations/g1.png")
    assert store.get("generations/g1.png") == b"\x89PNG fake"
    assert not store.exists("generations/g2.png")


def test_a_deleted_object_is_gone_and_deleting_again_is_no_error(store):
    store.put("resumes/r1/photos/p1.png", b"\x89PNG fake", "image/png")
    store.put("resumes/r1/photos/p2.png", b"\x89PNG other", "image/png")
    store.delete("resumes/r1/photos/p1.png")
    assert not store.exists("resumes/r1/photos/p1.png")
    with pytest.raises(ObjectNotFound):
        store.get("resumes/r1/photos/p1.png")
    store.delete("resumes/r1/photos/p1.png")
    store.delete("resumes/r1/photos/never.png")
    assert store.get("resumes/r1/photos/p2.png") == b"\x89PNG other"  # its neighbour stays


def test_a_missing_object_is_not_found(store):
    with pytest.raises(ObjectNotFound):
        store.get("styles/none/model.json")


def test_put_replaces(store):
    store.put("styles/s1/model.json", b"{}")
    store.put("styles/s1/model.json", b'{"v": 2}')

    assert store.get("styles/s1/model.json") == b'{"v": 2}'


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs/key", "a//b", "a/../b", "", "spaces here", "a/./../b"])
def test_unsafe_keys_are_refused(store, key):
    with pytest.raises(ValueError):
        store.put(key, b"x")


def test_local_writes_are_atomic_and_served_under_the_media_url(tmp_path):
    store = LocalDiskStore(tmp_path, media_url="/media/")
    store.put("generations/g1.png", b"data")

    assert [p.name for p in (tmp_path / "generations").iterdir()] == ["g1.png"]
    assert store.url("generations/g1.png", public=True) == "/media/generations/g1.png"
    with pytest.raises(StorageError):  # a private file's URL must be signed, and this store has no secret
        store.url("generations/g1.png")


def test_s3_presigned_url_fetches_the_object_without_credentials(s3_endpoint):
    store = S3Store(BUCKET, "us-east-1", s3_endpoint, **CREDENTIALS)
    store.put("generations/g2.png", b"signed image bytes", "image/png")

    url = store.url("generations/g2.png", expires=120)
    response = httpx.get(url)

    assert url.startswith(f"{s3_endpoint}/{BUCKET}/generations/g2.png?")
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=120" in url
    assert response.status_code == 200
    assert response.content == b"signed image bytes"
    assert response.headers["content-type"] == "image/png"


def test_s3_unreachable_is_a_storage_error():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    store = S3Store(BUCKET, "us-east-1", f"http://127.0.0.1:{port}", timeout=1, **CREDENTIALS)

    with pytest.raises(StorageError):
        store.put("generations/g3.png", b"x")
    with pytest.raises(StorageError):
        store.exists("generations/g3.png")


def test_s3_missing_bucket_is_a_storage_error(s3_endpoint):
    store = S3Store("no-such-bucket", "us-east-1", s3_endpoint, **CREDENTIALS)

    with pytest.raises(StorageError):
        store.put("generations/g4.png", b"x")


def test_settings_build_the_named_store(tmp_path, s3_endpoint):
    local = build_store(StorageSettings(_env_file=None, storage_dir=str(tmp_path)))
    s3 = build_store(
        StorageSettings(
            _env_file=None,
            storage_backend="s3",
            s3_bucket=BUCKET,
            s3_endpoint_url=s3_endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
    )

    assert isinstance(local, LocalDiskStore) and local.root == tmp_path.resolve()
    assert isinstance(s3, S3Store)
    s3.put("probe.txt", b"ok")
    assert s3.get("probe.txt") == b"ok"


@pytest.mark.parametrize(
    "values", [{"storage_backend": "gcs"}, {"storage_backend": "s3"}], ids=["unknown-backend", "s3-without-bucket"]
)
def test_settings_refuse_an_unusable_store(values):
    with pytest.raises(ValueError):
        StorageSettings(_env_file=None, **values)
