"""Style studio fixtures: an app with the AI servers' secrets and a local store in a tmp dir; the classroom's.

Also makes `studio_kit` (the tests' helpers) importable.
"""

import sys
from pathlib import Path

import pytest

from gateway.app import create_app
from shared.webhooks import generate_secret

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from sessions_kit import Classroom  # noqa: E402
from studio_kit import SIGNATURE_KEY, Sql, Studio  # noqa: E402


@pytest.fixture(scope="session")
def training_secret():
    return generate_secret()


@pytest.fixture(scope="session")
def inference_secret():
    return generate_secret()


@pytest.fixture(scope="session")
def storage_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("storage")


@pytest.fixture(scope="session")
def studio_settings(gateway_settings, training_secret, inference_secret, storage_root):
    return gateway_settings.model_copy(
        update={
            "training_webhook_secrets": [generate_secret(), training_secret],
            "inference_webhook_secrets": [inference_secret],
            "storage_backend": "local",
            "storage_dir": str(storage_root),
            "style_image_max_bytes": 2 * 1024 * 1024,
            "signature_key": SIGNATURE_KEY,
            "artist_share_percent": 70,
        }
    )


@pytest.fixture(scope="session")
def studio_app(studio_settings):
    return create_app(studio_settings)


@pytest.fixture
def studio(studio_app, accounts, database_url, training_secret, inference_secret):
    sql = Sql(database_url.replace("+psycopg", ""))
    return Studio(studio_app, accounts, sql, training_secret, inference_secret)


@pytest.fixture
def classroom(app, client, accounts, database_url):
    """Lectures, live sessions and learners through the API (sessions_kit.py)."""
    return Classroom(app, client, accounts, database_url)


@pytest.fixture
def teacher(classroom):
    return classroom.instructor()
