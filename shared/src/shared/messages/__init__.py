"""Message contracts: small typed classes with a version field, one module per family."""

from shared.messages.base import Message, decode
from shared.messages.jobs import JobEvent, RunJob

__all__ = ["JobEvent", "Message", "RunJob", "decode"]
