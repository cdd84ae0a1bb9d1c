"""TrainStyle with fakes at the ports: train once, store the model, report epochs; failures end in a report."""

import pytest
from support.studio_fakes import MemoryStore, RecordingSender, artwork

from llm_worker.handlers.train_style import TrainStyleHandler, model_key
from llm_worker.studio.model import StyleModel
from llm_worker.studio.reports import StudioReporter
from shared.amqp.outcomes import Ack, DeadLetter, Delivery, Retry
from shared.messages import TrainStyle

IMAGE_KEYS = [f"uploads/s1/{n}.png" for n in range(10)]


@pytest.fixture
def store():
    store = MemoryStore()
    for n, key in enumerate(IMAGE_KEYS):
        store.objects[key] = artwork(n)
    return store


@pytest.fixture
def sender():
    return RecordingSender()


def make_handler(store, sender, **options):
    return TrainStyleHandler(store, StudioReporter(sender), **({"progress_interval": 0} | options))


def command(**overrides) -> TrainStyle:
    values = {
        "style_id": "s1",
        "artist_id": "a1",
        "image_keys": IMAGE_KEYS,
        "epochs": 5,
        "requested_at": "2026-01-01T00:00:00+00:00",
    }
    return TrainStyle(**(values | overrides))


def delivery(body: bytes, attempt: int = 1, delivery_count: int = 0) -> Delivery:
    headers = {"x-delivery-count": delivery_count} if delivery_count else {}
    return Delivery(body, "m1", TrainStyle.TYPE, headers, False, attempt, 4)


def test_a_style_is_trained_stored_and_reported_epoch_by_epoch(store, sender):
    outcome = make_handler(store, sender)(delivery(command().to_json()))

    assert outcome == Ack()
    assert sender.paths() == ["progress"] * 5 + ["complete"]
    progress = [body["progress"] for method, _, body in sender.sent[:5]]
    assert [p["current_epoch"] for p in progress] == [1, 2, 3, 4, 5]
    assert [p["progress_percent"] for p in progress] == [20, 40, 60, 80, 100]
    assert all(p["total_epochs"] == 5 and p["estimated_seconds"] >= 0 for p in progress)
    assert {method for method, _, _ in sender.sent[:5]} == {"PATCH"}
    _, path, complete = sender.sent[-1]
    key = model_key(command())
    assert path == "/api/webhooks/training/complete"
    assert complete["style_id"] == "s1" and complete["model_path"] == key and key.startswith("styles/s1/model-")
    model = StyleModel.from_json(store.objects[key])
    assert complete["training_metric"] == {"loss": model.loss, "epochs": 5}


def test_a_redelivery_re_reports_the_stored_model_without_training(store, sender):
    handler = make_handler(store, sender)
    handler(delivery(command().to_json()))
    first_complete = sender.sent[-1]

    outcome = handler(delivery(command().to_json(), attempt=2))

    assert outcome == Ack() and store.puts.count(model_key(command())) == 1
    assert sender.paths()[6:] == ["complete"] and sender.sent[-1] == first_complete


def test_another_request_for_the_style_trains_a_new_model(store, sender):
    handler = make_handler(store, sender)
    handler(delivery(command().to_json()))
    handler(delivery(command(epochs=3).to_json()))

    assert model_key(command()) != model_key(command(epochs=3))
    assert sender.sent[-1][2]["model_path"] == model_key(command(epochs=3))


def test_progress_is_throttled_but_the_first_and_last_epochs_always_go(store, sender):
    make_handler(store, sender, progress_interval=60)(delivery(command(epochs=6).to_json()))

    assert [body["progress"]["current_epoch"] for _, _, body in sender.sent[:-1]] == [1, 6]


def test_a_corrupt_image_fails_the_training_cleanly(store, sender):
    store.objects[IMAGE_KEYS[3]] = b"\x89PNG\r\n\x1a\n but then nonsense"

    outcome = make_handler(store, sender)(delivery(command().to_json()))

    assert outcome == Ack()
    [(_, path, body)] = sender.sent
    assert path == "/api/webhooks/training/failed"
    assert body["error_code"] == "unreadable_image" and IMAGE_KEYS[3] in body["error_message"]
    assert not any(key.startswith("styles/") for key in store.objects)


def test_a_missing_image_fails_the_training(store, sender):
    del store.objects[IMAGE_KEYS[0]]

    assert make_handler(store, sender)(delivery(command().to_json())) == Ack()
    assert sender.sent[0][2]["error_code"] == "image_not_found"


@pytest.mark.parametrize(
    "overrides",
    [{"epochs": 0}, {"epochs": 10_000}, {"epochs": "5"}, {"image_keys": []}, {"image_keys": ["../x"]}],
    ids=["no-epochs", "too-many-epochs", "epochs-str", "no-images", "unsafe-key"],
)
def test_unusable_fields_are_reported_failed_and_dead_lettered(store, sender, overrides):
    outcome = make_handler(store, sender)(delivery(command(**overrides).to_json()))

    assert isinstance(outcome, DeadLetter)
    assert sender.paths() == ["failed"] and sender.sent[0][2]["error_code"] == "invalid_request"


def test_too_many_images_are_refused(store, sender):
    outcome = make_handler(store, sender, max_images=5)(delivery(command().to_json()))

    assert isinstance(outcome, DeadLetter) and sender.sent[0][2]["error_code"] == "invalid_request"


def test_an_unreachable_store_retries_then_fails_on_the_last_attempt(store, sender):
    store.failures = 1
    assert isinstance(make_handler(store, sender)(delivery(command().to_json())), Retry)

    store.failures = 1
    outcome = make_handler(store, sender)(delivery(command().to_json(), attempt=4))

    assert isinstance(outcome, DeadLetter) and sender.sent[-1][2]["error_code"] == "storage_error"


def test_a_message_that_keeps_killing_the_worker_is_reported_failed(store, sender):
    outcome = make_handler(store, sender)(delivery(command().to_json(), delivery_count=4))

    assert isinstance(outcome, DeadLetter) and sender.sent[0][2]["error_code"] == "worker_crashed"


def test_a_refused_progress_report_does_not_stop_the_training(store, sender):
    sender.refuse_status = 409

    outcome = make_handler(store, sender)(delivery(command().to_json()))

    assert isinstance(outcome, DeadLetter)  # the final report was refused too: nothing to ack against
    assert sender.paths()[-1] == "complete" and model_key(command()) in store.objects


def test_a_stored_model_is_re_reported_even_after_many_crashes(store, sender):
    handler = make_handler(store, sender)
    handler(delivery(command().to_json()))

    assert handler(delivery(command().to_json(), delivery_count=4)) == Ack()
    assert sender.paths()[-1] == "complete"
