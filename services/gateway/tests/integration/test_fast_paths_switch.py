"""FAST_PATHS=0 turns every fast path off at start (gateway/fastpaths/README.md); the API answers the same."""

import uuid
from types import SimpleNamespace

import marshmallow as ma
import pytest
from gunicorn import util
from gunicorn.config import Config
from gunicorn.http import message, wsgi

from gateway.app import create_app
from gateway.fastpaths import switch
from gateway.fastpaths.load import compile_loader, run
from gateway.fastpaths.submit import FastSubmit
from gateway.fastpaths.worker_config import http_date, trusted
from gateway.jobs.schemas import JobAcceptedSchema
from gateway.serving import OneWriteResponse, PromptCloseSyncWorker, close_promptly
from gateway.settings import GatewaySettings

TEXT = "All visitors must sign in at the front desk."
COMPILED = compile_loader(ma.Schema.from_dict({"n": ma.fields.Integer()})())


@pytest.fixture
def built_with(gateway_settings):
    """Builds an app with FAST_PATHS on or off; the process's switch is put back afterwards."""
    was = switch.enabled()
    apps = []

    def build(on: bool):
        apps.append(create_app(gateway_settings.model_copy(update={"fast_paths": on})))
        return apps[-1]

    yield build
    for app in apps:
        app.extensions["gateway"].db.dispose()
    switch.set_enabled(was)


def test_the_setting_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("FAST_PATHS", "0")
    assert GatewaySettings(_env_file=None).fast_paths is False
    monkeypatch.setenv("FAST_PATHS", "1")
    assert GatewaySettings(_env_file=None).fast_paths is True


@pytest.mark.parametrize("on", [True, False])
def test_the_submission_middleware_is_there_only_with_fast_paths(built_with, on):
    app = built_with(on)
    assert isinstance(app.wsgi_app, FastSubmit) is on
    response = app.test_client().post("/api/jobs", json={"text": TEXT})
    assert response.status_code == 202 and response.headers["Location"].startswith("/api/jobs/")


@pytest.mark.parametrize("on", [True, False])
def test_dumps_and_report_loads_are_compiled_only_with_fast_paths(built_with, on):
    built_with(on)
    schema = JobAcceptedSchema()
    dumped = schema.dump(SimpleNamespace(id=uuid.UUID(int=1), status="queued", created_at=None))
    assert dumped["links"] == {"self": f"/api/jobs/{uuid.UUID(int=1)}"}
    assert ("_fast_dump" in vars(schema)) is on  # the compiled plan is built by its first use
    assert (run(COMPILED, {"n": 1}) == {"n": 1}) is on  # else None: marshmallow loads it


@pytest.mark.parametrize("on", [True, False])
def test_search_takes_the_generic_plan_pool_only_with_fast_paths(built_with, on):
    uow = built_with(on).extensions["gateway"].db.uow()
    with uow.reading(generic_plans=True) as conn:
        mode = conn.execute("SHOW plan_cache_mode").fetchone()[0]
    assert mode == ("force_generic_plan" if on else "auto")


@pytest.mark.parametrize("on", [True, False])
def test_the_gunicorn_worker_answers_in_one_write_only_with_fast_paths(built_with, monkeypatch, on):
    monkeypatch.setattr(util, "close_graceful", util.close_graceful)  # put back when the test ends
    monkeypatch.setattr(wsgi, "Response", wsgi.Response)
    monkeypatch.setattr(message, "_ip_in_allow_list", message._ip_in_allow_list)
    monkeypatch.setattr(util, "http_date", util.http_date)
    plain = (util.close_graceful, wsgi.Response, message._ip_in_allow_list, util.http_date)
    app = built_with(on)
    worker = PromptCloseSyncWorker.__new__(PromptCloseSyncWorker)
    worker.app = SimpleNamespace(wsgi=lambda: app)
    worker.cfg = Config()
    worker.load_wsgi()
    assert worker.wsgi is app
    fast = (close_promptly, OneWriteResponse, trusted, http_date)
    assert (util.close_graceful, wsgi.Response, message._ip_in_allow_list, util.http_date) == (fast if on else plain)
    assert (type(worker.cfg) is not Config) is on  # the settings frozen into the worker's own subclass, or not
