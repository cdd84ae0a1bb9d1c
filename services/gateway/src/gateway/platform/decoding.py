"""The one decoding layer of every request: what its query string, form and JSON body may carry.

A NUL character (which PostgreSQL cannot store) anywhere in the query string,
a form field, an uploaded file's name or a JSON string or key is a 400 that
names where it was; a JSON body that does not decode within orjson's bounds
is a 400 malformed-json (gateway/jsoncodec.py). Each field's own rules (which
characters it takes, its range) are its schema's, a 422 (gateway/api/fields.py).
"""

from typing import Any

from flask import Request
from werkzeug.datastructures import MultiDict
from werkzeug.utils import cached_property

from gateway.platform.jsoncodec import MalformedJson, decode
from gateway.platform.problems import BadInput

NUL_DETAIL = "Must not contain a NUL character (U+0000)."


def json_body(body: bytes) -> Any:
    """The JSON value of a request body, or the BadInput that refuses it."""
    try:
        return decode(body)
    except MalformedJson as error:
        raise refused_json(error) from None


def refused_json(error: MalformedJson) -> BadInput:
    """The 400 for a body `decode` refused: malformed, or a NUL at a pointer."""
    if error.pointer is None:
        return BadInput(error.detail, "malformed-json", "json")
    return BadInput(error.detail, "invalid-character", "json", error.pointer)


class CheckedRequest(Request):
    """Flask's request, its query string, form and JSON body checked once as they are first read."""

    @cached_property
    def args(self) -> MultiDict:
        args = super().args
        if (name := _with_nul(args)) is not None:
            del self.__dict__["args"]  # not kept: every later read refuses it too
            raise BadInput(NUL_DETAIL, "invalid-character", "query", f"/{name}")
        return args

    def _load_form_data(self) -> None:
        super()._load_form_data()
        name = _with_nul(self.form)
        if name is not None:
            raise BadInput(NUL_DETAIL, "invalid-character", "form", f"/{name}")
        for field, upload in self.files.items(multi=True):
            if "\x00" in field or "\x00" in (upload.filename or ""):
                raise BadInput(NUL_DETAIL, "invalid-character", "files", "/" + field.replace("\x00", "\\u0000"))

    def on_json_loading_failed(self, e: ValueError | None) -> Any:
        if isinstance(e, MalformedJson):
            raise refused_json(e) from None
        return super().on_json_loading_failed(e)


def _with_nul(values: MultiDict) -> str | None:
    """The name of the first field whose name or value holds a NUL (shown escaped), or None."""
    for name, value in values.items(multi=True):
        if "\x00" in name or "\x00" in value:
            return name.replace("\x00", "\\u0000")
    return None
