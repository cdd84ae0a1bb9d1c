"""Reports to the gateway: the shape of their contracts, and the base of those whose `data` depends on their type.

A report's body (or its `data`, one contract per report type) is described
once, as a dataclass in shared.messages. The senders' tests check each kind
of report their code builds against it (Report.check), and the gateway's
schemas are held to it by a test, so a field added on one side cannot be
missing on the other.

A report is not checked each time it is built: its fields are set by the code
that builds it, never by its input, so a test that builds each kind proves
every report of that kind, and the gateway validates every report it receives.
Checked on every build, the 11 objects of one job's reports cost the worker
6 % more CPU per job.
"""

import dataclasses
import functools
import typing
from typing import Any, ClassVar

from shared.messages.base import Message, MessageError, is_required


@dataclasses.dataclass(frozen=True)
class FieldShape:
    required: bool
    nested: type | None = None  # the contract of the object this field holds (or of each item of its list)


@functools.cache
def shape(contract: type) -> dict[str, FieldShape]:
    """Each field of `contract` by name: required (no default) or not, and the contract of its objects."""
    hints = typing.get_type_hints(contract)
    return {
        field.name: FieldShape(is_required(field), _nested(hints[field.name])) for field in dataclasses.fields(contract)
    }


def check(contract: type, data: Any, where: str) -> None:
    """Raise MessageError unless `data` holds the required fields of `contract` and no field it does not name."""
    if not isinstance(data, dict):
        raise MessageError(f"{where}: not an object")
    fields = shape(contract)
    unknown = sorted(set(data) - set(fields))
    missing = [name for name, field in fields.items() if field.required and name not in data]
    if unknown or missing:
        raise MessageError(f"{where}: not a {contract.__name__} (unknown {unknown}, missing {missing})")
    for name, field in fields.items():
        value = data.get(name)
        if field.nested is not None and value is not None:
            for item in value if isinstance(value, list) else [value]:
                check(field.nested, item, f"{where}.{name}")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Report(Message):
    """A report (a worker's JobEvent, PaymentEvent, NotifierReport) whose `data` is DATA[type]."""

    DATA: ClassVar[dict[str, type]]  # each subclass has the fields `type` and `data`

    def check(self) -> None:
        """Raise MessageError unless the report's type is one of DATA and its data follows DATA[type]."""
        if self.type not in self.DATA:
            raise MessageError(f"{self.TYPE}: unknown type {self.type!r}")
        check(self.DATA[self.type], self.data, f"{self.TYPE} {self.type} data")


def _nested(annotation: Any) -> type | None:
    """The dataclass in `X`, `X | None` or `list[X]`, if any."""
    if dataclasses.is_dataclass(annotation):
        return annotation
    for arg in typing.get_args(annotation):
        found = _nested(arg)
        if found is not None:
            return found
    return None
