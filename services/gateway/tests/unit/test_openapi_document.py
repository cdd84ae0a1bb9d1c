"""The OpenAPI document is the API's contract: a change to it is deliberate, never a side effect of a refactor.

`openapi.json` beside this test is the document as it was last agreed. A
change that means to alter the API regenerates it with
`UPDATE_OPENAPI_SNAPSHOT=1 pytest services/gateway/tests/unit/test_openapi_document.py`
and the diff shows up for review.
"""

import json
import os
from pathlib import Path

from gateway.accounts.tokens import generate_private_key_pem
from gateway.app import create_app
from gateway.settings import GatewaySettings

SNAPSHOT = Path(__file__).with_name("openapi.json")


def current_document() -> dict:
    """The document the app serves at /schema/, built without touching any service."""
    settings = GatewaySettings(_env_file=None, app_env="test", jwt_private_key=generate_private_key_pem())
    app = create_app(settings)
    with app.test_request_context():
        return json.loads(app.test_client().get("/schema/").get_data(as_text=True))


def test_the_document_is_the_agreed_one():
    document = current_document()
    if os.environ.get("UPDATE_OPENAPI_SNAPSHOT") == "1":
        SNAPSHOT.write_text(json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    agreed = json.loads(SNAPSHOT.read_text())
    assert sorted(document["paths"]) == sorted(agreed["paths"]), "paths were added or removed"
    for path, operations in agreed["paths"].items():
        assert document["paths"][path] == operations, f"{path} changed"
    assert document == agreed
