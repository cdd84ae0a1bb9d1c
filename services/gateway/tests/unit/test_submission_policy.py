"""POST /api/jobs has one policy: every check its view makes is named in it, and its fast path runs every one.

The checks a request meets on its way to the view are read from the app itself:
the wrappers around the view function, the hooks before it (the app's and its
blueprint's), the app's body limit, the names its body calls and the body
schema's fields and hooks. Any of them not known here as a check of
`submission.POLICY` (or as plumbing that checks nothing) fails the test, so a
decorator, hook or rule added to the view cannot be skipped by the fast path
unnoticed: name it in the policy, run it in gateway/fastpaths/submit.py, then
list it here.
"""

import functools

import pytest

from gateway.accounts.tokens import generate_private_key_pem
from gateway.app import create_app
from gateway.fastpaths import submit
from gateway.jobs import submission
from gateway.jobs.api import Jobs
from gateway.jobs.schemas import JobCreateSchema
from gateway.settings import GatewaySettings

pytestmark = pytest.mark.unit
ENDPOINT = "jobs.Jobs"
PLUMBING = None  # documents the operation or writes its answer: checks nothing

WRAPPERS = {  # the code of a wrapper around a view -> what it checks
    "gateway.accounts.guard:authenticated.<locals>.decorator.<locals>.wrapper": submission.CREDENTIALS,
    "flask_smorest.arguments:ArgumentsMixin.arguments.<locals>.decorator.<locals>.wrapper": submission.BODY_SCHEMA,
    "webargs.core:Parser.use_args.<locals>.decorator.<locals>.wrapper": submission.BODY_SCHEMA,
    "flask_smorest.response:ResponseMixin.response.<locals>.decorator.<locals>.wrapper": PLUMBING,
    "flask_smorest.response:ResponseMixin.alt_response.<locals>.decorator.<locals>.wrapper": PLUMBING,
    "flask_smorest.blueprint:Blueprint.doc.<locals>.decorator.<locals>.wrapper": PLUMBING,
}
HOOKS = {"gateway.platform.http:require_json_bodies.<locals>._only_json": submission.JSON_BODY}
BODY_CALLS = {  # the global names the view's body uses -> what they check
    "blp": PLUMBING,  # the app's dependencies (blp.deps)
    "deps": PLUMBING,  # the same, as the views reached them before the bootstrap
    "current_principal": submission.CREDENTIALS,
    "job_owner": submission.SUBMITTER,
    "jobs": PLUMBING,  # submit_job: the job stored, once every check has passed
}
SCHEMA_FIELDS = {"text"}  # the fast path takes exactly {"text": str}
SCHEMA_HOOKS = {"validates": [("_text", False, {"field_names": ("text",)})]}  # mirrored by jobs.text_problem


@pytest.fixture(scope="module")
def app():
    return create_app(GatewaySettings(_env_file=None, app_env="test", jwt_private_key=generate_private_key_pem()))


def where(function) -> str:
    """The code behind a function: its module and qualified name as its code has them (a wrapper copies both
    from what it wraps)."""
    return f"{function.__globals__['__name__']}:{function.__code__.co_qualname}"


def view_checks(app, view) -> list[str]:
    """What a request to `view` (a POST of the jobs endpoint) is checked for before its body runs; unknown code
    is named as it is."""
    checks, function = [], view
    while hasattr(function, "__wrapped__"):
        checks.append(WRAPPERS.get(where(function), where(function)))
        function = function.__wrapped__
    body = function
    for hook in [*app.before_request_funcs.get(None, []), *app.before_request_funcs.get("jobs", [])]:
        checks.append(HOOKS.get(where(hook), where(hook)))
    if app.config["MAX_CONTENT_LENGTH"]:
        checks.append(submission.BODY_SIZE)
    for name in body.__code__.co_names:
        if name in body.__globals__:
            checks.append(BODY_CALLS.get(name, f"{body.__module__}:{name}"))
    return [check for check in checks if check is not PLUMBING]


def test_the_view_makes_exactly_the_checks_of_the_policy(app):
    view = app.view_functions[ENDPOINT].view_class.post
    assert view is Jobs.post
    assert set(view_checks(app, view)) == set(submission.POLICY)


def test_the_fast_path_runs_every_check_of_the_policy():
    assert sorted(submit.RUNS) == sorted(submission.POLICY)


def test_the_body_schema_is_the_one_the_fast_path_mirrors():
    schema = JobCreateSchema()
    assert set(schema.load_fields) == SCHEMA_FIELDS
    assert {tag: hooks for tag, hooks in schema._hooks.items() if hooks} == SCHEMA_HOOKS
    assert schema.fields["text"].validators == submit.TEXT_VALIDATORS


def rate_limited(view):
    """A check the fast path does not know of."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    return wrapper


def test_a_check_added_to_the_view_alone_is_found(app):
    found = view_checks(app, rate_limited(Jobs.post))
    assert set(found) - set(submission.POLICY) == {f"{__name__}:rate_limited.<locals>.wrapper"}
