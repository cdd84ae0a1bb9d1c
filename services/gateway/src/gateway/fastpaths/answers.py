"""What the write fast paths answer: the view's 202, or the app's own answer to an error raised past the point
where the work may have been recorded (such a request must not go to the view to be done twice)."""

import orjson
from flask import Flask

from gateway.platform.jsoncodec import OPTIONS

ENCODING = OPTIONS | orjson.OPT_APPEND_NEWLINE  # the app's JSON provider's
Answer = tuple[str, list, bytes]


def accepted(data: dict, location: str) -> Answer:
    """The view's 202: its dumped body in the app's JSON encoding and its Location."""
    body = orjson.dumps(data, option=ENCODING)
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body))), ("Location", location)]
    return "202 ACCEPTED", headers, body


def app_error(app: Flask, environ: dict, error: Exception) -> Answer:
    """The problem the view would have answered for `error`, rendered by the app's own error handlers."""
    with app.request_context(environ):
        try:
            response = app.make_response(app.handle_user_exception(error))
        except Exception as unhandled:  # noqa: BLE001 - what Flask does with an error no handler takes
            response = app.make_response(app.handle_exception(unhandled))
    return response.status, list(response.headers.items()), response.get_data()
