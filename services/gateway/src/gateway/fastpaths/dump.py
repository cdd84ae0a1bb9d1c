"""Faster marshmallow dumps: a schema's fields compiled once into a plain getter and converter each.

marshmallow spends most of a dump finding each value (four calls deep per
field) and dispatching on the field; a page of twenty items is hundreds of
fields. `FastDumpSchema` keeps marshmallow's output, hooks and documentation,
and replaces only that inner loop: values are read with one `getattr` (or
`dict.get`), the common scalar fields are converted inline, and every other
field is handed to its own `_serialize`. A test compares both outputs for
every schema that uses it.

For objects (rows, ORM objects, dataclasses), the plan is then generated as
one Python function per schema: every attribute read in a row, the scalar
conversions written inline, the dictionary built in one expression. Plain
dicts (a résumé and its sections, read as JSON) get a second generated
function, each key read with `dict.get` and left out when absent, as
marshmallow leaves it. Mapping-like objects and objects missing an attribute
take the plan's loop, which follows marshmallow's lookup rules exactly.

With FAST_PATHS=0 (`switch.enabled()` false) every dump is marshmallow's own.
"""

from collections.abc import Callable
from typing import Any

import marshmallow as ma
from marshmallow import missing
from marshmallow.decorators import POST_DUMP, PRE_DUMP

from gateway.fastpaths import switch

Converter = Callable[[Any, Any], Any]


def _text(value, _obj):
    if value is None or type(value) is str:
        return value
    return value.decode() if isinstance(value, bytes) else str(value)


def _integer(value, _obj):
    return None if value is None else int(value)


def _identity(value, _obj):
    return value


_INLINE = {  # converter -> an expression of the value `v`, same result
    _text: "{v} if {v} is None or type({v}) is str else _text({v}, None)",
    _integer: "{v} if {v} is None or type({v}) is int else int({v})",
    _identity: "{v}",
}


def _scalar(field: ma.fields.Field) -> Converter | None:
    kind = type(field)
    if kind in (ma.fields.String, ma.fields.UUID):
        return _text
    if kind is ma.fields.Integer and not field.as_string:
        return _integer
    if kind is ma.fields.Boolean:
        return _identity
    if kind is ma.fields.DateTime and (func := field.SERIALIZATION_FUNCS.get(field.format or field.DEFAULT_FORMAT)):
        convert = lambda value, _obj: None if value is None else func(value)  # noqa: E731
        convert.inline = ("None if {v} is None else {f}({v})", func)
        return convert
    return None


def _nested(field: ma.fields.Field) -> Converter | None:
    """A Nested field of a FastDumpSchema without dump hooks: its plan, run in place of marshmallow's dump()."""
    if type(field) is not ma.fields.Nested:
        return None
    child = field.schema
    if not isinstance(child, FastDumpSchema) or child._hooks[PRE_DUMP] or child._hooks[POST_DUMP]:
        return None
    many = child.many or field.many

    def convert(value, _obj):
        if value is None:
            return None
        dump = child.fast_dump()
        return [dump(each) for each in value] if many else dump(value)

    convert.never_missing = True
    return convert


def _converter(name: str, field: ma.fields.Field) -> Converter:
    if (convert := _scalar(field) or _nested(field)) is not None:
        return convert
    if type(field) is ma.fields.List and (each := _scalar(field.inner) or _nested(field.inner)) is not None:
        convert = lambda value, obj: None if value is None else [each(item, obj) for item in value]  # noqa: E731
        convert.never_missing = True
        return convert
    return lambda value, obj: field._serialize(value, name, obj)


def _plan(schema: ma.Schema) -> list[tuple]:
    """(output key, attribute or None when the field reads the whole object, converter, field) per dumped field."""
    plan = []
    for name, field in schema.dump_fields.items():
        key = field.data_key if field.data_key is not None else name
        attribute = field.attribute or name
        plain = field._CHECK_ATTRIBUTE and "." not in attribute and field.dump_default is missing
        if type(field) is ma.fields.Function and field.serialize_func is not None:
            plan.append((key, None, lambda _value, obj, f=field.serialize_func: f(obj), field))
        elif not field._CHECK_ATTRIBUTE:
            plan.append((key, None, lambda _value, obj, f=field, n=name: f._serialize(None, n, obj), field))
        elif plain:
            plan.append((key, attribute, _converter(name, field), field))
        else:  # dotted attributes and dump defaults: marshmallow's own path
            plan.append((key, None, lambda _value, obj, f=field, n=name, s=schema: _generic(f, n, obj, s), field))
    return plan


def _generic(field: ma.fields.Field, name: str, obj, schema: ma.Schema):
    return field.serialize(name, obj, accessor=schema.get_attribute)


class FastDumpSchema(ma.Schema):
    """A marshmallow schema whose dump runs a compiled plan of its fields (same output, hooks still run)."""

    def fast_plan(self) -> list[tuple]:
        plan = self.__dict__.get("_fast_plan")
        if plan is None:
            plan = self.__dict__["_fast_plan"] = _plan(self)
        return plan

    def fast_dump(self) -> Callable[[Any], dict]:
        """This schema's generated dump of one object (see the module's doc)."""
        dump = self.__dict__.get("_fast_dump")
        if dump is None:
            dump = self.__dict__["_fast_dump"] = _generate(self.fast_plan(), self)
        return dump

    def _serialize(self, obj: Any, *, many: bool = False):
        if not switch.enabled():
            return super()._serialize(obj, many=many)
        dump = self.fast_dump()
        if many and obj is not None:
            return [dump(item) for item in obj]
        return dump(obj)


def dumper(schema: FastDumpSchema) -> Callable[[Any], dict]:
    """`schema.dump` for a Function field: the compiled dump of one object while fast paths are on."""
    fast = schema.fast_dump()

    def dump(obj: Any) -> dict:
        return fast(obj) if switch.enabled() else schema.dump(obj)

    return dump


def _generate(plan: list[tuple], schema: ma.Schema) -> Callable[[Any], dict]:
    """One function reading every attribute, converting inline where it can; one for dicts; the loop for
    anything else."""
    namespace = {"missing": missing, "_text": _text, "_loop": lambda obj: _dump_one(plan, obj, schema)}
    reads, builds, from_dict = [], [], []
    for index, (key, attribute, convert, _field) in enumerate(plan):
        namespace[f"c{index}"] = convert
        if attribute is None:
            builds.append(_assign(key, f"c{index}(None, obj)", False, "    "))
            from_dict.append(builds[-1])
            continue
        inline = _INLINE.get(convert) or getattr(convert, "inline", (None,))[0]
        if inline is not None:
            namespace[f"f{index}"] = getattr(convert, "inline", (None, None))[1]
            expression = inline.format(v=f"a{index}", f=f"f{index}")
        else:
            expression = f"c{index}(a{index}, obj)"
        always = inline is not None or getattr(convert, "never_missing", False)
        reads.append(f"        a{index} = obj.{attribute}" if attribute.isidentifier() else None)
        builds.append(_assign(key, expression, always, "    "))
        from_dict.append(
            f"    a{index} = obj.get({attribute!r}, missing)\n    if a{index} is not missing:\n"
            + _assign(key, expression, always, "        ")
        )
    objects = None not in reads
    source = "\n".join(
        [
            "def from_dict(obj):",
            "    out = {}",
            *from_dict,
            "    return out",
            "def dump(obj):",
            "    if type(obj) is dict:",
            "        return from_dict(obj)",
            *(
                [
                    "    if obj is None:",
                    "        return _loop(obj)",
                    "    try:",
                    *(reads or ["        pass"]),
                    "    except AttributeError:",
                    "        return _loop(obj)",
                    "    out = {}",
                    *builds,
                    "    return out",
                ]
                if objects
                else ["    return _loop(obj)"]
            ),
        ]
    )
    exec(compile(source, f"<fastdump {type(schema).__name__}>", "exec"), namespace)
    return namespace["dump"]


def _assign(key: str, expression: str, always: bool, indent: str) -> str:
    """Source setting `out[key]` to the expression's value, unless (when it may be) that value is `missing`."""
    if always:
        return f"{indent}out[{key!r}] = {expression}"
    return f"{indent}value = {expression}\n{indent}if value is not missing:\n{indent}    out[{key!r}] = value"


def _dump_one(plan: list[tuple], obj: Any, schema: ma.Schema) -> dict:
    out = {}
    is_dict = type(obj) is dict
    for key, attribute, convert, _field in plan:
        if attribute is None:
            value = convert(None, obj)
        else:
            value = obj.get(attribute, missing) if is_dict else getattr(obj, attribute, missing)
            if value is missing:
                if not is_dict and hasattr(obj, "__getitem__"):  # a mapping-like row: marshmallow's lookup
                    value = schema.get_attribute(obj, attribute, missing)
                if value is missing:
                    continue
            value = convert(value, obj)
        if value is not missing:
            out[key] = value
    return out
