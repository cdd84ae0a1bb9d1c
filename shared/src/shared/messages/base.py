"""The base of every broker message: a typed, versioned, JSON-serialisable dataclass."""

import dataclasses
import json
from typing import Any, ClassVar, Self


class MessageError(ValueError):
    """A message body that does not match its contract (a poison message)."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class Message:
    """A command (imperative name) or an event (past tense) crossing the broker."""

    TYPE: ClassVar[str]
    VERSION: ClassVar[int] = 1
    EXCHANGE: ClassVar[str]
    ROUTING_KEY: ClassVar[str]

    def routing_key(self) -> str:
        """Where the message goes on its exchange (a class constant, unless the message decides)."""
        return self.ROUTING_KEY

    def to_dict(self) -> dict[str, Any]:
        """The message as JSON-ready data (shallow: field values are already JSON types)."""
        data = {"version": self.VERSION}
        for field in dataclasses.fields(self):
            data[field.name] = getattr(self, field.name)
        return data

    def to_json(self) -> bytes:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":")).encode()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        if not isinstance(data, dict):
            raise MessageError(f"{cls.TYPE}: body is not a JSON object")
        version = data.get("version")
        if version != cls.VERSION:
            raise MessageError(f"{cls.TYPE}: unsupported version {version!r}")
        names = {f.name for f in dataclasses.fields(cls)}
        missing = [f.name for f in dataclasses.fields(cls) if f.name not in data and is_required(f)]
        if missing:
            raise MessageError(f"{cls.TYPE}: missing fields {missing}")
        return cls(**{k: v for k, v in data.items() if k in names})


def is_required(field: dataclasses.Field) -> bool:
    """A field without a default: every message (or report) must carry it."""
    return field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING


def decode(cls: type[Message], body: bytes) -> Message:
    """Parse a broker body into `cls`, raising MessageError for anything malformed."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MessageError(f"{cls.TYPE}: body is not JSON ({exc})") from None
    return cls.from_dict(data)
