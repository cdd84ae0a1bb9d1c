"""multipart/form-data views: a body of another type is 415 before anything parses it."""

import functools

from flask import request

from gateway.platform.problems import problem

MULTIPART = "multipart/form-data"


def multipart_only(view):
    """415 for anything but multipart/form-data (place it under `authenticated`, so 401/403 come first)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if request.mimetype != MULTIPART:
            return problem(415, f"Send the body as {MULTIPART} (got '{request.mimetype or 'none'}').")
        return view(*args, **kwargs)

    return wrapper
