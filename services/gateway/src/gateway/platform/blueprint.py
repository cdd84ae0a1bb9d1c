"""flask-smorest's Blueprint, its arguments parsed through the request's one decoding layer (gateway/decoding.py),
its views given their dependencies when the app registers it."""

from typing import Any

import flask
import flask_smorest
from marshmallow import missing
from webargs.flaskparser import FlaskParser, is_json_request

DEPS = "gateway.blueprint_deps"  # app.extensions[DEPS][blueprint name]: what the app registered it with


class Parser(FlaskParser):
    """webargs' Flask parser, but a JSON body is the request's `get_json()` (orjson, bounded, checked for NUL)
    instead of the standard library's `json.loads` (which recursed 10,000 levels deep and took lone surrogates)."""

    def _raw_load_json(self, req: flask.Request) -> Any:
        if not is_json_request(req) or not req.get_data(cache=True):
            return missing  # no body: each required field says it is missing, as webargs answers
        return req.get_json(force=True)


class Blueprint(flask_smorest.Blueprint):
    """Every blueprint of the API (a test checks that each registered one is this class)."""

    ARGUMENTS_PARSER = Parser()

    def register(self, app: flask.Flask, options: dict) -> None:
        """Registered with `deps=...`: what this blueprint's views use in that app (the app factory's bootstrap)."""
        app.extensions.setdefault(DEPS, {})[self.name] = options["deps"]
        super().register(app, options)

    @property
    def deps(self) -> Any:
        """The dependencies the current app registered this blueprint with (gateway.bootstrap.Deps).

        Kept per app, not on the blueprint: a process (a test run) may hold several apps built from other settings.
        """
        return flask.current_app.extensions[DEPS][self.name]
