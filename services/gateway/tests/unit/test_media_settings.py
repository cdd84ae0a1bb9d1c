"""The secret that signs private media URLs: required in production, derived from the JWT key elsewhere."""

import pytest

from gateway.accounts.tokens import generate_private_key_pem
from gateway.settings import GatewaySettings

pytestmark = pytest.mark.unit
KEY = generate_private_key_pem()
REQUIRED = {"jobs_webhook_secrets": ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"], "jwt_private_key": KEY}


def test_production_with_the_local_store_needs_a_media_url_secret():
    with pytest.raises(ValueError, match="MEDIA_URL_SECRET"):
        GatewaySettings(_env_file=None, app_env="production", **REQUIRED)
    given = GatewaySettings(_env_file=None, app_env="production", media_url_secret="s" * 43, **REQUIRED)
    assert given.media_url_secret == "s" * 43
    s3 = GatewaySettings(_env_file=None, app_env="production", storage_backend="s3", s3_bucket="b", **REQUIRED)
    assert s3.media_url_secret == ""  # S3 presigns with its own credentials


def test_development_derives_one_every_replica_agrees_on():
    first, second = (GatewaySettings(_env_file=None, app_env="development", jwt_private_key=KEY) for _ in range(2))
    other = GatewaySettings(_env_file=None, app_env="test", jwt_private_key=generate_private_key_pem())
    assert first.media_url_secret and first.media_url_secret == second.media_url_secret != other.media_url_secret
    assert KEY not in first.media_url_secret
