"""The app factory itself (as flaskr tests its own): it builds without I/O, registers every blueprint of the
package, and hands each the one set of dependencies its bootstrap built."""

import importlib
import pkgutil
import socket

import flask
import pytest

import gateway
from gateway.accounts.tokens import generate_private_key_pem
from gateway.app import create_app
from gateway.platform.blueprint import Blueprint
from gateway.settings import GatewaySettings

pytestmark = pytest.mark.unit
NOWHERE = "127.0.0.1:1"
NOT_VIEWS = ("gateway.migrations", "gateway.serving", "gateway.relay.__main__")  # scripts, or gunicorn's patches
DOCS = "api-docs"  # flask-smorest's own blueprint: /schema/, /swagger/, /redoc/


@pytest.fixture(scope="module")
def jwt_key() -> str:
    return generate_private_key_pem()


def _settings(jwt_key: str, **overrides) -> GatewaySettings:
    return GatewaySettings(
        _env_file=None,
        app_env="test",
        database_url=f"postgresql+psycopg://postgres@{NOWHERE}/none",
        amqp_url=f"amqp://guest:guest@{NOWHERE}/",
        redis_url=f"redis://{NOWHERE}/0",
        jwt_private_key=jwt_key,
        **overrides,
    )


def _registered(app: flask.Flask) -> list[flask.Blueprint]:
    return [blueprint for name, blueprint in app.blueprints.items() if name != DOCS]


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"the app factory opened a connection: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_the_factory_builds_the_app_without_io(jwt_key, no_network):
    app = create_app(_settings(jwt_key))
    assert app.extensions["gateway"].settings.app_env == "test"
    assert _registered(app)


def _blueprints_of_the_package() -> dict[str, flask.Blueprint]:
    found = {}
    for module in pkgutil.walk_packages(gateway.__path__, "gateway."):
        if not module.name.startswith(NOT_VIEWS):
            values = vars(importlib.import_module(module.name)).values()
            found.update((value.name, value) for value in values if isinstance(value, flask.Blueprint))
    return found


def test_every_blueprint_of_the_package_is_registered_as_the_apis_blueprint(jwt_key):
    app = create_app(_settings(jwt_key))
    registered = {blueprint.name: blueprint for blueprint in _registered(app)}
    assert registered == _blueprints_of_the_package()
    assert all(isinstance(blueprint, Blueprint) for blueprint in registered.values())


def test_the_bootstrap_builds_the_deps_once_and_every_blueprint_gets_its_apps(jwt_key):
    """One Deps per app, handed to each blueprint at registration; two apps in one process keep their own."""
    first, second = create_app(_settings(jwt_key)), create_app(_settings(jwt_key, operator_token="other"))
    assert first.extensions["gateway"] is not second.extensions["gateway"]
    for app in (first, second):
        with app.test_request_context("/"):
            assert all(blueprint.deps is app.extensions["gateway"] for blueprint in _registered(app))
