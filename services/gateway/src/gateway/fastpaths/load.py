"""Faster marshmallow loads for well-formed input: a schema compiled once into plain type checks.

marshmallow's load is thorough and slow: tens of microseconds per object, most
of it the machinery around each field, not the checks themselves. For bodies
that arrive in bulk from the platform's own services (a worker's batch of job
reports), `compile_loader` builds a loader that accepts only input marshmallow
would accept unchanged: every value of exactly the expected JSON type, no
unknown keys where the schema refuses them, every validator passed. It answers
what `schema.load` would answer, or None for anything else, and the caller then
runs marshmallow itself, which gives the result or the per-field errors. So
the fast loader never decides what is an error; a test holds both to the same
output.

Supported: String (and Line, Text, Secret: a String and a validator),
Integer, UUID, AwareDateTime (ISO), Flag (JSON's booleans), plain Dict, List
and Nested of those, `required`, `load_default`, `allow_none` (None taken as
it is, unvalidated, as marshmallow takes it), field validators, `unknown`
RAISE or EXCLUDE.
Anything else is refused when the loader is compiled, and so are schema hooks
(the caller mirrors a hook it needs). `compile_batch_loader` builds the loader
of a batch of typed events that way (the job reports).

With FAST_PATHS=0 (`switch.enabled()` false) `run` leaves every input to marshmallow.
"""

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import marshmallow as ma
from marshmallow import missing

from gateway.fastpaths import switch
from gateway.platform.fields import STRING_FIELDS, Flag

Loader = Callable[[Any], Any]


class Fallback(Exception):
    """The input is not in the plain form the compiled loader takes; let marshmallow load it."""


def compile_loader(schema: ma.Schema, allow_hooks: bool = False) -> Loader:
    """A function of one JSON value that answers `schema.load(value)`, or raises Fallback."""
    if schema._hooks and not allow_hooks:
        raise TypeError(f"{type(schema).__name__} has hooks ({', '.join(schema._hooks)}); mirror them by hand")
    plan = [
        (name, field.data_key or name, _converter(field), field.required, field.load_default, field.validators,
         field.allow_none)
        for name, field in schema.load_fields.items()
    ]  # fmt: skip
    known = frozenset(key for _, key, *_ in plan)
    refuse_unknown = schema.unknown == ma.RAISE

    def load(value: Any) -> dict:
        if type(value) is not dict or (refuse_unknown and not known.issuperset(value)):
            raise Fallback
        out = {}
        for name, key, convert, required, default, validators, allow_none in plan:
            if key in value:
                if allow_none and value[key] is None:
                    out[name] = None
                    continue
                result = convert(value[key])
                for validate in validators:
                    validate(result)
                out[name] = result
            elif required:
                raise Fallback
            elif default is not missing:
                out[name] = default() if callable(default) else default
        return out

    return load


def run(loader: Loader, value: Any) -> Any | None:
    """`loader(value)`, or None where marshmallow must decide (always, with fast paths off)."""
    if not switch.enabled():
        return None
    try:
        return loader(value)
    except (Fallback, ma.ValidationError):
        return None


def compile_batch_loader(batch: ma.Schema, data_schemas: dict[str, ma.Schema], finish: Callable[[dict], Any]) -> Loader:
    """`batch.load` of `{"events": [...]}`, each event loaded by its fields, then its `data` by the schema named by its
    `type`, then `finish(event)`: the event schema's post_load must do the same, ending in the same `finish`."""
    events = batch.fields["events"]
    validators = events.validators
    fields = compile_loader(events.inner.schema, allow_hooks=True)  # its one hook: the lines of `event` below
    data_loaders = {kind: compile_loader(schema) for kind, schema in data_schemas.items()}

    def event(value: Any) -> Any:
        item = fields(value)
        item["data"] = data_loaders[item["type"]](item["data"])
        return finish(item)

    def load(payload: Any) -> dict:
        if type(payload) is not dict or payload.keys() != {"events"} or type(payload["events"]) is not list:
            raise Fallback
        for validate in validators:
            validate(payload["events"])
        return {"events": [event(each) for each in payload["events"]]}

    return load


def _converter(field: ma.fields.Field) -> Loader:
    kind = type(field)
    if kind is ma.fields.String or kind in STRING_FIELDS:
        return _string
    if kind is ma.fields.Integer:
        return _integer
    if kind is Flag:
        return _flag
    if kind is ma.fields.UUID:
        return _uuid
    if kind is ma.fields.AwareDateTime and (field.format or field.DEFAULT_FORMAT) in ("iso", "iso8601"):
        return _aware_datetime
    if kind is ma.fields.Dict and field.key_field is None and field.value_field is None:
        return _dict
    if kind is ma.fields.List:
        return _list(_converter(field.inner), field.inner.validators)
    if kind is ma.fields.Nested and not field.many and not field.only and not field.exclude:
        return compile_loader(field.schema)
    raise TypeError(f"no fast loader for {kind.__name__} ({field.name})")


def _string(value):
    if type(value) is not str:
        raise Fallback
    return value


def _integer(value):
    if type(value) is not int:  # not bool, float or a numeric string: marshmallow decides those
        raise Fallback
    return value


def _flag(value):
    if type(value) is not bool:
        raise Fallback
    return value


def _uuid(value):
    if type(value) is not str:
        raise Fallback
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Fallback from None


def _aware_datetime(value):
    if type(value) is not str:
        raise Fallback
    try:
        parsed = datetime.fromisoformat(value)  # what marshmallow's "iso" format calls
    except ValueError:
        raise Fallback from None
    if parsed.tzinfo is None or parsed.tzinfo.utcoffset(parsed) is None:
        raise Fallback
    return parsed


def _dict(value):
    if type(value) is not dict:
        raise Fallback
    return dict(value)


def _list(convert: Loader, validators) -> Loader:
    def load(value):
        if type(value) is not list:
            raise Fallback
        items = [convert(item) for item in value]
        for validate in validators:
            for item in items:
                validate(item)
        return items

    return load
