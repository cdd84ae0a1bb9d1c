"""The studio's settings and how the composition root wires them (no broker needed to build a Worker)."""

import pytest

from llm_worker.bootstrap import Worker, build_image_engine
from llm_worker.settings import WorkerSettings
from llm_worker.studio.openai_images import OpenAIImageEngine
from llm_worker.studio.render import EmbeddedEngine
from shared.storage import LocalDiskStore

SECRET = "whsec_" + "A" * 43 + "="


def settings(**values) -> WorkerSettings:
    return WorkerSettings(_env_file=None, **({"jobs_webhook_secret": SECRET, "llm_provider": "local"} | values))


@pytest.mark.parametrize(
    ("values", "engine", "threads"),
    [
        ({}, "embedded", 2),
        ({"openai_api_key": "sk-x"}, "embedded", 2),
        ({"image_engine": "auto"}, "embedded", 2),
        ({"image_engine": "auto", "openai_api_key": "sk-x"}, "openai", 8),
        ({"image_engine": "openai", "openai_api_key": "sk-x", "inference_threads": 3}, "openai", 3),
    ],
)
def test_the_embedded_engine_is_the_default(values, engine, threads):
    chosen = settings(**values)

    assert chosen.image_engine_name == engine and chosen.image_threads == threads


def test_the_engine_builder_follows_the_settings():
    assert isinstance(build_image_engine(settings()), EmbeddedEngine)
    openai_engine = build_image_engine(settings(image_engine="openai", openai_api_key="sk-x"))
    assert isinstance(openai_engine, OpenAIImageEngine) and openai_engine.model == "gpt-image-1"


@pytest.mark.parametrize(
    "values", [{"image_engine": "dalle"}, {"image_engine": "openai"}, {"storage_backend": "s3"}], ids=str
)
def test_unusable_settings_are_refused(values):
    with pytest.raises(ValueError):
        settings(**values)


def test_without_studio_secrets_the_worker_consumes_jobs_careers_and_classroom_only():
    worker = Worker(settings())

    assert list(worker.consumers) == ["jobs", "careers", "classroom"]


def test_with_both_secrets_it_consumes_all_five_queues_independently(tmp_path):
    worker = Worker(
        settings(training_webhook_secret=SECRET, inference_webhook_secret=SECRET, storage_dir=str(tmp_path))
    )

    assert list(worker.consumers) == ["jobs", "careers", "classroom", "training", "inference"]
    assert len({id(consumer) for consumer in worker.consumers.values()}) == 5
    assert isinstance(worker.store, LocalDiskStore) and worker.store.root == tmp_path.resolve()
    assert isinstance(worker.image_engine, EmbeddedEngine)


def test_careers_work_uses_the_jobs_provider_choice():
    from llm_worker.bootstrap import build_careers_provider
    from llm_worker.careers.offline import OfflineCareersProvider
    from llm_worker.careers.openai_careers import OpenAICareersProvider

    assert isinstance(build_careers_provider(settings()), OfflineCareersProvider)
    chosen = build_careers_provider(settings(llm_provider="auto", openai_api_key="sk-x", openai_model="gpt-test"))
    assert isinstance(chosen, OpenAICareersProvider) and chosen.model == "gpt-test" and chosen.billable


def test_classroom_work_uses_the_jobs_provider_choice():
    from llm_worker.bootstrap import build_classroom_provider
    from llm_worker.classroom.offline import OfflineClassroomProvider
    from llm_worker.classroom.openai_classroom import OpenAIClassroomProvider

    assert isinstance(build_classroom_provider(settings()), OfflineClassroomProvider)
    chosen = build_classroom_provider(settings(llm_provider="auto", openai_api_key="sk-x", openai_model="gpt-test"))
    assert isinstance(chosen, OpenAIClassroomProvider) and chosen.model == "gpt-test" and chosen.billable
