"""What the fast paths' parity tests share: an app with the fast paths on (or off) whatever FAST_PATHS says for the
run, its middlewares, a client of what lies under one of them (Flask, flask-smorest and the view), and a user."""

import uuid

from flask import Flask
from werkzeug.test import Client

from gateway.app import create_app
from gateway.fastpaths import switch

DEAD_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere"


def built(settings, fast_paths: bool, **changes) -> Flask:
    """An app with its fast paths on or off; the process's switch stays as the run set it, so the compiled dumps
    follow FAST_PATHS and the answers must match either way."""
    was = switch.enabled()
    app = create_app(settings.model_copy(update={**changes, "fast_paths": fast_paths}))
    switch.set_enabled(was)
    return app


def with_fast_paths(settings, **changes) -> Flask:
    """An app with the fast paths whatever FAST_PATHS says: the parity tests hold them to the views."""
    return built(settings, True, **changes)


def layer_kinds(app: Flask) -> list[type]:
    """The types of the app's WSGI layers, outermost first."""
    kinds, layer = [], app.wsgi_app
    while layer is not None:
        kinds.append(type(layer))
        layer = getattr(layer, "_inner", None)
    return kinds


def middleware(app: Flask, kind: type):
    """The app's WSGI layer of this kind."""
    layer = app.wsgi_app
    while not isinstance(layer, kind):
        layer = layer._inner
    return layer


def view_only(app: Flask, kind: type) -> Client:
    """A client of the app under that layer: the view's answer to anything."""
    return Client(middleware(app, kind)._inner, app.response_class)


def sign_in(client: Client) -> dict:
    """A new user's Authorization header (signed up and signed in through the API), for module-scoped fixtures."""
    name = f"user{uuid.uuid4().hex[:10]}"
    signup = {"email": f"{name}@example.com", "username": name, "password": "correct horse battery staple"}
    assert client.post("/api/auth/signup", json=signup).status_code == 201
    login = client.post("/api/auth/login", json={"username": name, "password": signup["password"]})
    return {"Authorization": f"Bearer {login.json['access_token']}"}
