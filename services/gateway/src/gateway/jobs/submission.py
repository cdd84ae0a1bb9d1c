"""The checks of a job submission (POST /api/jobs), named once: the view runs them, and so does its fast path.

POLICY names each check the view makes before a job is stored, in the order it
makes them. The fast path (gateway/fastpaths/submit.py) runs every one through
the same function as the view, or leaves the request to the view; a test
compares this list with the view's decorators, its blueprint's hooks and its
body schema, and with the fast path's own list, so a check added to the view
alone fails the suite instead of being skipped by the fast path.
"""

import uuid

from gateway.accounts.sessions import Principal
from gateway.platform.errors import Unauthenticated

JSON_BODY = "a JSON body"  # the blueprint's require_json_bodies (415)
BODY_SIZE = "the body size"  # MAX_BODY_BYTES (413)
CREDENTIALS = "the credentials"  # accounts.authentication.authenticate, optional (401)
BODY_SCHEMA = "the body schema"  # JobCreateSchema: {"text": str}, its field's validators and text_problem (400, 422)
SUBMITTER = "who may submit"  # job_owner: anonymous jobs only where allowed (401)

POLICY = (JSON_BODY, BODY_SIZE, CREDENTIALS, BODY_SCHEMA, SUBMITTER)


def job_owner(caller: Principal | None, allow_anonymous: bool) -> uuid.UUID | None:
    """Who owns a job `caller` submits (None: nobody); Unauthenticated if anonymous jobs are not taken."""
    if caller is not None:
        return caller.user_id
    if not allow_anonymous:
        raise Unauthenticated("Sign in first: this server does not take anonymous jobs.", invalid_token=False)
    return None
