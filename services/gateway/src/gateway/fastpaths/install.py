"""The fast paths put in place by create_app, or left out when its settings say FAST_PATHS=0."""

from flask import Flask

from gateway.fastpaths import switch
from gateway.fastpaths.careers_reads import CareersReads
from gateway.fastpaths.feedback_requests import FeedbackRequests
from gateway.fastpaths.submit import FastSubmit


def install_fast_paths(app: Flask, enabled: bool) -> None:
    """The submission, careers reads and feedback requests middlewares around `app`, and the process's switch for
    the compiled dumps, loads and plans."""
    switch.set_enabled(enabled)
    if enabled:
        app.wsgi_app = CareersReads(app, app.wsgi_app)
        app.wsgi_app = FeedbackRequests(app, app.wsgi_app)
        app.wsgi_app = FastSubmit(app, app.wsgi_app)
