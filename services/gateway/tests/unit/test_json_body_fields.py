"""A JSON body's booleans and integers take JSON's own types: `"realtime": 0` or `"amount": "100"` is a 422.

marshmallow's Boolean takes 1, 0, "yes" or "off" and a lax Integer takes "100": right for a query string or a
form, where everything is text, but a JSON body that breaks its documented schema must be refused.
"""

import marshmallow as ma
import pytest

from gateway.accounts.tokens import generate_private_key_pem
from gateway.app import create_app
from gateway.platform.fields import Flag
from gateway.settings import GatewaySettings


def json_body_fields():
    """(where, field) for every field, nested ones included, of every JSON body a view loads."""
    settings = GatewaySettings(_env_file=None, app_env="test", jwt_private_key=generate_private_key_pem())
    app = create_app(settings)
    for endpoint, view in app.view_functions.items():
        view_class = getattr(view, "view_class", None)
        for method in ("post", "put", "patch", "delete"):
            handler = getattr(view_class, method, None)
            for parameter in getattr(handler, "_apidoc", {}).get("arguments", {}).get("parameters", []):
                if parameter["in"] == "json":
                    schema = parameter["schema"]
                    schema = schema() if isinstance(schema, type) else schema
                    yield from _fields(f"{endpoint} {method.upper()}", schema)


def _fields(where: str, schema: ma.Schema):
    for name, field in schema.load_fields.items():
        while isinstance(field, ma.fields.List):
            field = field.inner
        if isinstance(field, ma.fields.Nested):
            yield from _fields(f"{where} {name}", field.schema)
        else:
            yield f"{where} {name}", field


def test_every_json_boolean_is_a_flag_and_every_json_integer_is_strict():
    fields = list(json_body_fields())
    assert len(fields) > 30
    lax = [where for where, f in fields if isinstance(f, ma.fields.Boolean) and not isinstance(f, Flag)]
    lax += [where for where, f in fields if isinstance(f, ma.fields.Integer) and not f.strict]
    assert lax == []


@pytest.mark.parametrize("value", [True, False])
def test_a_flag_takes_true_and_false(value):
    assert Flag().deserialize(value) is value


@pytest.mark.parametrize("value", [0, 1, "true", "false", "yes", "off", None, 1.0, [], {}])
def test_a_flag_refuses_anything_else(value):
    with pytest.raises(ma.ValidationError):
        Flag().deserialize(value)
