"""A request for AI résumé feedback, the careers line's hottest write, answered without Flask.

`POST /api/resume_feedbacks/standard/{resume_id}` and `/posting/{resume_id}/{posting_id}` read a résumé (and a
posting) and record the feedback with its command: Flask's request machinery, routing, flask-smorest and the
view's decorators cost as much CPU as that work. This WSGI middleware takes only a plain request: POST, no body,
the exact path with ids written as canonical UUIDs, no Idempotency-Key, credentials that check out. It answers
with the view's own functions: `authenticate`, `request_feedback`, the response schema's dump, the app's JSON
encoding and the view's Location. Anything else goes to the Flask view untouched, and so does a request for a
résumé or posting the caller has not (a 404: nothing was written, the view reads again and answers it); any
other error is answered by the app's own error handlers, since the feedback may have been recorded. Its answer
is the view's, byte for byte but for the new feedback's id (a test holds both to it). Off with FAST_PATHS=0.
"""

import re
from collections.abc import Callable, Iterable

from flask import Flask

from gateway.accounts.authentication import authenticate
from gateway.careers import feedback_service as feedback
from gateway.careers.feedback_schemas import FeedbackAcceptedSchema
from gateway.fastpaths.answers import accepted, app_error
from gateway.platform.errors import NotFound

UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
PATH = re.compile(f"/api/resume_feedbacks/(?:standard/({UUID})|posting/({UUID})/({UUID}))")
ACCEPTED = FeedbackAcceptedSchema()


class FeedbackRequests:
    """Wraps the Flask app's WSGI callable; see the module's doc for what it takes and what it passes on."""

    def __init__(self, app: Flask, inner: Callable):
        self._app = app
        self._inner = inner

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        answer = self._request(environ)
        if answer is None:
            return self._inner(environ, start_response)
        status, headers, body = answer
        start_response(status, headers)
        return [body]

    def _request(self, environ: dict) -> tuple[str, list, bytes] | None:
        """The view's 202 for a plain request, the app's answer to an error, or None to leave it to the view."""
        if environ["REQUEST_METHOD"] != "POST":
            return None
        match = PATH.fullmatch(environ.get("PATH_INFO", ""))
        if match is None or environ.get("CONTENT_LENGTH", "0") not in ("", "0"):
            return None
        if "HTTP_TRANSFER_ENCODING" in environ or "HTTP_IDEMPOTENCY_KEY" in environ:
            return None
        d = self._app.extensions["gateway"]
        try:  # the view's 401 and its headers, or a lost database's 503, are the view's to give
            caller = authenticate(d.db.uow(), d.tokens, environ.get("HTTP_AUTHORIZATION"))
        except Exception:  # noqa: BLE001 - nothing was written: the view checks again and answers
            return None
        if caller is None:
            return None
        standard, resume_id, posting_id = match.groups()
        try:
            work = feedback.request_feedback(d.db.uow(), caller.user_id, standard or resume_id, posting_id)
        except NotFound:
            return None
        except Exception as error:  # noqa: BLE001 - recorded or not, it must not be asked twice: the app's handlers answer
            return app_error(self._app, environ, error)
        return accepted(ACCEPTED.dump(work), f"/api/resume_feedbacks/{work.id}")
