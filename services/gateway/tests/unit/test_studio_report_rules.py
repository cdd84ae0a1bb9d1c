"""The AI servers' reports through a fake unit of work: statuses forward only, refunds and artists' shares once."""

import uuid
from types import SimpleNamespace

import pytest
from fake_reports import FakeReceiptStore
from fake_studio import FakeStudioStore
from fake_uow import FakeUnitOfWork
from fake_wallet import FakeWalletStore

from gateway.platform.errors import InvalidInput, NotFound
from gateway.studio.reports import record_inference_report, record_training_report
from gateway.wallet import service as wallet

MAKER, ARTIST = uuid.uuid4(), uuid.uuid4()
PRICE, COST = 10, 12


def _style(**changes):
    values = dict(id=uuid.uuid4(), artist_id=ARTIST, name="Ink", visibility="public", status="queued",
                  progress_percent=0, current_epoch=0, total_epochs=3, estimated_seconds=None, started_at=None,
                  generation_count=0)  # fmt: skip
    return SimpleNamespace(**{**values, **changes})


def _generation(style_id, **changes):
    values = dict(id=uuid.uuid4(), user_id=MAKER, artist_id=ARTIST, style_id=style_id, style_price=PRICE, cost=COST,
                  status="queued", progress_percent=0, started_at=None, is_public=True, signature_id=1)  # fmt: skip
    return SimpleNamespace(**{**values, **changes})


@pytest.fixture
def style():
    return _style(status="completed", progress_percent=100)


@pytest.fixture
def generation(style):
    return _generation(style.id)


@pytest.fixture
def studio(style, generation):
    return FakeStudioStore([style, _style()], [generation])


@pytest.fixture
def ledger(generation):
    ledger = FakeWalletStore()
    ledger.add_to_balance(MAKER, COST, None)
    wallet.spend(ledger, MAKER, COST, str(generation.id), "an image")
    return ledger


@pytest.fixture
def uow(studio, ledger):
    return FakeUnitOfWork(studio, ledger, FakeReceiptStore())


def _failed(generation_id):
    return {"generation_id": str(generation_id), "error_message": "out of memory", "error_code": "oom"}


def _completed(generation_id):
    return {"generation_id": str(generation_id), "result_url": f"generations/{generation_id}.png", "metadata": {}}


def test_a_failed_generation_is_refunded_once_and_a_second_failure_is_stale(uow, studio, ledger, generation):
    first = record_inference_report(uow, "wh-1", "failed", _failed(generation.id), 70)
    again = record_inference_report(uow, "wh-2", "failed", _failed(generation.id), 70)
    assert (first["result"], first["status"], again["result"]) == ("applied", "failed", "stale")
    assert ledger.balance(MAKER) == COST
    assert [(kind, facts["refunded"]) for _, kind, facts, _ in studio.told] == [("generation.failed", COST)]


def test_a_completed_generation_pays_its_artist_once_and_a_replay_gets_the_first_answer(
    uow, studio, ledger, style, generation
):
    first = record_inference_report(uow, "wh-1", "complete", _completed(generation.id), 70)
    replay = record_inference_report(uow, "wh-1", "complete", _completed(generation.id), 70)
    late = record_inference_report(uow, "wh-2", "failed", _failed(generation.id), 70)
    assert (first["result"], replay["replayed"], replay["result"], late["result"]) == (
        "applied",
        True,
        "applied",
        "stale",
    )
    assert ledger.balance(ARTIST) == 7 and ledger.balance(MAKER) == 0  # 70% of the price; no refund after success
    assert studio.styles[style.id].generation_count == 1
    assert [kind for _, kind, _, _ in studio.told] == ["generation.completed"]


def test_progress_after_the_end_changes_nothing(uow, generation):
    record_inference_report(uow, "wh-1", "complete", _completed(generation.id), 70)
    progress = {"progress_percent": 50, "current_step": 5, "total_steps": 10, "estimated_seconds": 3}
    late = record_inference_report(
        uow, "wh-2", "progress", {"generation_id": str(generation.id), "progress": progress}, 70
    )
    assert (late["result"], generation.status, generation.progress_percent) == ("stale", "completed", 100)


def test_an_unknown_generation_is_a_404_and_its_webhook_id_is_not_kept(uow):
    with pytest.raises(NotFound):
        record_inference_report(uow, "wh-1", "failed", _failed(uuid.uuid4()), 70)
    assert uow.store(FakeReceiptStore.port).answers == {}


def test_a_bad_result_key_is_refused_and_the_generation_left_as_it_was(uow, studio, generation):
    body = {**_completed(generation.id), "result_url": "../../etc/passwd"}
    with pytest.raises(InvalidInput):
        record_inference_report(uow, "wh-1", "complete", body, 70)
    assert studio.generations[generation.id].status == "queued" and studio.told == []


def test_a_failed_training_tells_its_artist(uow, studio):
    style = next(s for s in studio.styles.values() if s.status == "queued")
    body = {"style_id": str(style.id), "error_message": "bad images", "error_code": "bad_input"}
    answer = record_training_report(uow, "wh-1", "failed", body)
    assert (answer["result"], answer["status"]) == ("applied", "failed")
    assert [(who, kind) for who, kind, _, _ in studio.told] == [(ARTIST, "training.failed")]
