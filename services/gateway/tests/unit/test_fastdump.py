"""FastDumpSchema dumps exactly what marshmallow dumps, for every schema of the API that uses it."""

import datetime
import importlib
import pkgutil
import types
import uuid

import marshmallow as ma
import pytest

import gateway
from gateway.fastpaths.dump import FastDumpSchema

pytestmark = [pytest.mark.unit, pytest.mark.usefixtures("fast_paths_on")]  # whatever FAST_PATHS says
NOW = datetime.datetime(2026, 12, 1, 12, 30, tzinfo=datetime.UTC)


def marshmallow_dump(schema: ma.Schema, obj, many: bool = False):
    """What plain marshmallow makes of `obj` with this schema's fields."""
    return ma.Schema._serialize(schema, obj, many=many)


class Inner(FastDumpSchema):
    id = ma.fields.UUID()
    name = ma.fields.String()


class HookedInner(Inner):
    @ma.post_dump
    def _mark(self, data, **_):
        return {**data, "hooked": True}


class Everything(FastDumpSchema):
    text = ma.fields.String()
    number = ma.fields.Integer()
    as_string = ma.fields.Integer(as_string=True)
    flag = ma.fields.Boolean()
    ident = ma.fields.UUID(attribute="identifier")
    at = ma.fields.DateTime()
    at_rfc = ma.fields.DateTime(format="rfc")
    inner = ma.fields.Nested(Inner, allow_none=True)
    inners = ma.fields.List(ma.fields.Nested(Inner))
    many_inners = ma.fields.Nested(Inner, many=True)
    hooked = ma.fields.Nested(HookedInner)
    hooked_list = ma.fields.List(ma.fields.Nested(HookedInner))
    ids = ma.fields.List(ma.fields.UUID())
    counts = ma.fields.List(ma.fields.Integer())
    words = ma.fields.List(ma.fields.String())
    mapping = ma.fields.Dict()
    renamed = ma.fields.String(data_key="outside")
    computed = ma.fields.Function(lambda obj: f"<{getattr(obj, 'text', None)}>")
    dotted = ma.fields.String(attribute="inner.name")
    defaulted = ma.fields.String(dump_default="default")
    price = ma.fields.Float()


FULL = {
    "text": "글",
    "number": 7,
    "as_string": 8,
    "flag": True,
    "identifier": uuid.UUID(int=5),
    "at": NOW,
    "at_rfc": NOW,
    "inner": types.SimpleNamespace(id=uuid.UUID(int=1), name="안"),
    "inners": [{"id": uuid.UUID(int=2), "name": "a"}, types.SimpleNamespace(id=None, name=None)],
    "words": ["x", "y"],
    "many_inners": [{"id": uuid.UUID(int=3), "name": "b"}],
    "hooked": {"id": uuid.UUID(int=4), "name": "c"},
    "hooked_list": [{"id": None, "name": "d"}],
    "ids": [uuid.UUID(int=6), None],
    "counts": [1, "2", None],
    "mapping": {"k": 1},
    "renamed": "r",
    "defaulted": "set",
    "price": 1.5,
}


@pytest.mark.parametrize(
    "obj",
    [
        types.SimpleNamespace(**FULL),
        dict(FULL),
        types.SimpleNamespace(text=None, number=None, flag=None, identifier=None, at=None, inner=None),
        types.SimpleNamespace(),  # every attribute missing
        {"text": b"bytes", "number": "12"},
    ],
    ids=["object", "dict", "nones", "missing", "odd types"],
)
def test_the_compiled_dump_equals_marshmallows(obj):
    schema = Everything()
    assert schema.dump(obj) == marshmallow_dump(schema, obj)
    assert schema.dump([obj, obj], many=True) == marshmallow_dump(schema, [obj, obj], many=True)


def _api_schemas() -> list[type[FastDumpSchema]]:
    for module in pkgutil.walk_packages(gateway.__path__, "gateway."):
        if module.name.endswith("_schemas") or module.name.endswith(".schemas"):
            importlib.import_module(module.name)
    found, todo = [], list(FastDumpSchema.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("gateway.") and not cls.__module__.startswith("gateway.fastpaths."):
            found.append(cls)
    return found


SAMPLES = {
    ma.fields.String: "text",
    ma.fields.Integer: 3,
    ma.fields.Boolean: False,
    ma.fields.UUID: uuid.UUID(int=9),
    ma.fields.DateTime: NOW,
    ma.fields.List: [],
    ma.fields.Dict: {"a": "b"},
}


def _sample(schema: ma.Schema, filled: bool):
    values = {}
    for name, field in schema.dump_fields.items():
        attribute = field.attribute or name
        values[attribute] = SAMPLES.get(type(field)) if filled else None
    return types.SimpleNamespace(**values)


@pytest.mark.parametrize("schema_class", _api_schemas(), ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_every_api_response_schema_dumps_like_marshmallow(schema_class):
    """Outside any app: a dump reads only its object, never the app's store or settings."""
    schema = schema_class()
    for filled, as_dict in ((True, False), (False, False), (True, True), (False, True)):
        obj = _sample(schema, filled)
        obj = vars(obj) if as_dict else obj  # the résumé reads give dicts, the other reads rows
        try:
            expected = marshmallow_dump(schema, obj)
        except Exception as error:  # noqa: BLE001 - a Function field may need a real object: both must fail alike
            with pytest.raises(type(error)):
                schema.dump(obj)
            continue
        assert schema.dump(obj) == expected


def test_the_api_has_schemas_that_use_it():
    names = {cls.__name__ for cls in _api_schemas()}
    assert {"GenerationSchema", "JobSchema", "JobAcceptedSchema", "StyleSchema"} <= names
