"""GET /.well-known/assetlinks.json from ANDROID_APP_PACKAGES and ANDROID_APP_SHA256_FINGERPRINTS: an empty list when
unset, one statement per app otherwise; a malformed setting fails at start-up, not on a phone."""

import pydantic
import pytest

from gateway.accounts.tokens import generate_private_key_pem
from gateway.app import create_app
from gateway.settings import GatewaySettings

pytestmark = pytest.mark.unit
FINGERPRINT = ":".join(["14", "6D", "E9", "83", "C5", "73", "06", "50"] * 4)
KEY = generate_private_key_pem()


def settings(**env) -> GatewaySettings:
    return GatewaySettings(_env_file=None, app_env="test", jwt_private_key=KEY, **env)


def asset_links(**env):
    return create_app(settings(**env)).test_client().get("/.well-known/assetlinks.json")


def test_unset_it_is_an_empty_list():
    response = asset_links()
    assert response.status_code == 200 and response.json == []
    assert response.content_type == "application/json"


def test_each_app_may_handle_every_link_when_signed_with_a_listed_certificate():
    other = FINGERPRINT.replace("14", "AB")
    response = asset_links(
        android_app_packages="com.mobilegpt.student, com.example.mobilegpt",
        android_app_sha256_fingerprints=f"{FINGERPRINT.lower()},{other}",
    )
    assert response.status_code == 200 and response.headers["Cache-Control"] == "public, max-age=3600"
    assert response.json == [
        {
            "relation": ["delegate_permission/common.handle_all_urls"],
            "target": {
                "namespace": "android_app",
                "package_name": name,
                "sha256_cert_fingerprints": [FINGERPRINT, other],
            },
        }
        for name in ("com.mobilegpt.student", "com.example.mobilegpt")
    ]


def test_it_needs_no_credentials_and_lives_outside_api():
    assert asset_links().status_code == 200
    assert create_app(settings()).test_client().get("/api/.well-known/assetlinks.json").status_code == 404


@pytest.mark.parametrize(
    "env",
    [
        {"android_app_packages": "com.example.app", "android_app_sha256_fingerprints": "14:6D"},
        {"android_app_packages": "com.example.app", "android_app_sha256_fingerprints": FINGERPRINT.replace(":", "")},
        {"android_app_packages": "com.example.app", "android_app_sha256_fingerprints": FINGERPRINT + ":00"},
        {"android_app_packages": "com.example.app", "android_app_sha256_fingerprints": FINGERPRINT.replace("E9", "G9")},
        {"android_app_packages": "not a package", "android_app_sha256_fingerprints": FINGERPRINT},
        {"android_app_packages": "nodots", "android_app_sha256_fingerprints": FINGERPRINT},
        {"android_app_packages": "com.example.app"},
        {"android_app_sha256_fingerprints": FINGERPRINT},
    ],
)
def test_a_malformed_or_half_setting_fails_at_start_up(env):
    with pytest.raises(pydantic.ValidationError):
        settings(**env)
