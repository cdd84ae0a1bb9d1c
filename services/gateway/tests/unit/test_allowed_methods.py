"""The Allow header of every documented path lists exactly the methods the document gives it.

A literal route beside a parameter (`/api/styles/me` beside `/api/styles/{style_id}`) used to match both, so its
OPTIONS and 405 answers also offered the other route's methods.
"""

import re
import uuid

import pytest

from gateway.accounts.tokens import generate_private_key_pem
from gateway.app import create_app
from gateway.settings import GatewaySettings

METHODS = {"get", "put", "post", "delete", "patch"}


@pytest.fixture(scope="module")
def app():
    return create_app(GatewaySettings(_env_file=None, app_env="test", jwt_private_key=generate_private_key_pem()))


@pytest.fixture(scope="module")
def document(app):
    return app.test_client().get("/schema/").json


def concrete(path: str, operations: dict) -> str:
    """The path with each parameter given a value of its documented type."""
    parameters = [p for o in operations.values() if isinstance(o, dict) for p in o.get("parameters", [])]
    kinds = {p["name"]: p["schema"].get("type") for p in parameters if p["in"] == "path"}
    return re.sub(r"{(\w+)}", lambda m: "7" if kinds.get(m[1]) == "integer" else str(uuid.uuid4()), path)


def test_options_offers_exactly_the_documented_methods(app, document):
    client = app.test_client()
    wrong = {}
    for path, operations in document["paths"].items():
        documented = {m.upper() for m in operations if m in METHODS} | {"OPTIONS"}
        if "GET" in documented:
            documented.add("HEAD")
        allowed = set(client.options(concrete(path, operations)).headers.get("Allow", "").split(", "))
        if allowed != documented:
            wrong[path] = sorted(allowed ^ documented)
    assert wrong == {}


def test_a_method_the_literal_route_lacks_is_a_405_that_offers_only_its_own(app):
    response = app.test_client().patch("/api/styles/me", json={})
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
