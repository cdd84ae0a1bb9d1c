"""The local store's signed URLs: S3's presigned shape, valid for their lifetime only, for their key only."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest

from shared.storage import LocalDiskStore, UrlSigner
from shared.storage.signing import MAX_EXPIRES

KEY = "styles/8c0a3f0e-0000-4000-8000-000000000001/images/5.png"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def signed_args(signer: UrlSigner, key: str = KEY, expires: int = 600, now: datetime = NOW) -> dict[str, str]:
    return dict(parse_qsl(signer.query(key, expires, now)))


def test_a_signed_query_has_s3s_names_and_holds_for_its_lifetime():
    signer = UrlSigner("secret")
    args = signed_args(signer)
    assert set(args) == {"X-Amz-Date", "X-Amz-Expires", "X-Amz-Signature"}
    assert args["X-Amz-Date"] == "20261201T120000Z" and args["X-Amz-Expires"] == "600"
    assert signer.seconds_left(KEY, args, NOW) == 600
    assert signer.seconds_left(KEY, args, NOW + timedelta(seconds=599)) == 1
    assert signer.seconds_left(KEY, args, NOW + timedelta(seconds=600)) is None  # expired


@pytest.mark.parametrize(
    "change",
    [
        {"X-Amz-Signature": "0" * 64},
        {"X-Amz-Expires": "6000"},  # a longer life than was signed
        {"X-Amz-Date": "20261201T130000Z"},  # a later start than was signed
        {"X-Amz-Signature": None},
        {"X-Amz-Date": None},
        {"X-Amz-Expires": "-5"},
        {"X-Amz-Expires": "1e3"},
        {"X-Amz-Date": "2026-12-01T12:00:00Z"},
        {"X-Amz-Signature": "ZZ" * 32},
    ],
    ids=["signature", "expires", "date", "no-signature", "no-date", "negative", "odd-number", "odd-date", "not-hex"],
)
def test_a_tampered_or_partial_query_is_refused(change):
    signer = UrlSigner("secret")
    args = signed_args(signer)
    for name, value in change.items():
        if value is None:
            args.pop(name)
        else:
            args[name] = value
    assert signer.seconds_left(KEY, args, NOW) is None


def test_a_signature_holds_for_its_key_and_secret_only():
    signer = UrlSigner("secret")
    args = signed_args(signer)
    assert signer.seconds_left(KEY.replace("5.png", "6.png"), args, NOW) is None
    assert UrlSigner("another secret").seconds_left(KEY, args, NOW) is None
    assert signer.seconds_left(KEY, {}, NOW) is None


def test_lifetimes_stay_within_s3s_limits_and_no_date_is_from_the_future():
    signer = UrlSigner("secret")
    with pytest.raises(ValueError):
        signer.query(KEY, MAX_EXPIRES + 1)
    with pytest.raises(ValueError):
        signer.query(KEY, 0)
    early = signed_args(signer, now=NOW + timedelta(hours=1))  # signed by a clock an hour ahead
    assert signer.seconds_left(KEY, early, NOW) is None
    assert signer.seconds_left(KEY, signed_args(signer, now=NOW + timedelta(minutes=1)), NOW) == 660


def test_the_local_store_signs_private_urls_and_leaves_public_ones_plain(tmp_path):
    store = LocalDiskStore(tmp_path, "/media/", UrlSigner("secret"))
    assert store.url(KEY, public=True) == f"/media/{KEY}"
    url = urlsplit(store.url(KEY, expires=120))
    assert url.path == f"/media/{KEY}"
    left = store.signer.seconds_left(KEY, dict(parse_qsl(url.query)))
    assert left is not None and 0 < left <= 120
    with pytest.raises(ValueError):
        UrlSigner("")
