"""The AI servers' webhooks: each family's own secret, replay-safe, forward-only, unknown ids 404."""

import time
import uuid

import pytest

from shared.webhooks import WebhookSigner, generate_secret


def progress(style_id: str, epoch: int, total: int = 10) -> dict:
    percent = epoch * 100 // total
    return {
        "style_id": style_id,
        "progress": {
            "current_epoch": epoch,
            "total_epochs": total,
            "progress_percent": percent,
            "estimated_seconds": 3,
        },
    }


def complete(style_id: str) -> dict:
    metric = {"loss": 0.0123, "epochs": 10}
    return {"style_id": style_id, "model_path": f"styles/{style_id}/model-abc.json", "training_metric": metric}


def failed(style_id: str) -> dict:
    return {"style_id": style_id, "error_message": "image 3 is unreadable", "error_code": "unreadable_image"}


def style_row(studio, style_id: str):
    return studio.sql.one(
        "SELECT status, progress_percent, current_epoch, model_key, training_metric, error_code FROM styles "
        "WHERE id = %s",
        style_id,
    )


def notifications(studio, user_id: str, kind: str) -> int:
    return studio.sql.one("SELECT count(*) FROM notifications WHERE user_id = %s AND type = %s", user_id, kind)[0]


def test_a_training_moves_forward_and_its_artist_is_told(studio):
    artist = studio.artist()
    style = studio.style(artist)
    first = studio.report("training", "progress", progress(style["id"], 3))
    assert first.status_code == 200 and first.json["result"] == "applied" and first.json["status"] == "processing"
    seen = studio.client.get(f"/api/styles/{style['id']}", headers=artist.headers).json
    assert seen["status"] == "processing"
    assert seen["progress"] == {"percent": 30, "current_epoch": 3, "total_epochs": 10, "estimated_seconds": 3}
    assert studio.report("training", "progress", progress(style["id"], 2)).json["result"] == "stale"  # late
    done = studio.report("training", "complete", complete(style["id"]))
    assert done.json == {
        "webhook_id": done.json["webhook_id"],
        "result": "applied",
        "status": "completed",
        "replayed": False,
    }
    assert style_row(studio, style["id"]) == (
        "completed",
        100,
        10,
        f"styles/{style['id']}/model-abc.json",
        {"loss": 0.0123, "epochs": 10},
        None,
    )
    assert notifications(studio, artist.user["id"], "training.completed") == 1
    event = studio.sql.one(
        "SELECT payload FROM outbox WHERE message_type = 'DomainEvent' AND payload->>'type' = 'training.completed' "
        "AND payload->>'user_id' = %s",
        artist.user["id"],
    )[0]
    assert event["data"]["id"] == style["id"] and "is ready" in event["body"]


def test_progress_after_complete_has_no_effect(studio):
    style = studio.trained(studio.artist())
    late = studio.report("training", "progress", progress(style["id"], 4))
    assert late.status_code == 200 and late.json["result"] == "stale" and late.json["status"] == "completed"
    assert style_row(studio, style["id"])[:2] == ("completed", 100)
    again = studio.report("training", "complete", complete(style["id"]))  # a redelivery re-posts it
    assert again.json["result"] == "stale"


def test_a_replayed_webhook_has_no_second_effect(studio):
    artist = studio.artist()
    style = studio.style(artist)
    webhook_id = f"msg_{uuid.uuid4().hex}"
    first = studio.report("training", "complete", complete(style["id"]), webhook_id)
    replay = studio.report("training", "complete", complete(style["id"]), webhook_id)
    assert replay.status_code == 200 and replay.json["replayed"] is True
    assert {k: v for k, v in replay.json.items() if k != "replayed"} == {
        k: v for k, v in first.json.items() if k != "replayed"
    }
    assert notifications(studio, artist.user["id"], "training.completed") == 1


def test_a_failed_training_is_final_and_told(studio):
    artist = studio.artist()
    style = studio.style(artist)
    assert studio.report("training", "failed", failed(style["id"])).json["result"] == "applied"
    assert studio.report("training", "complete", complete(style["id"])).json["result"] == "stale"
    assert studio.report("training", "failed", failed(style["id"])).json["result"] == "stale"
    seen = studio.client.get(f"/api/styles/{style['id']}", headers=artist.headers).json
    assert (seen["status"], seen["error_code"]) == ("failed", "unreadable_image")
    assert "unreadable" in seen["error"]
    assert notifications(studio, artist.user["id"], "training.failed") == 1


@pytest.mark.parametrize("family", ["training", "inference"])
def test_the_other_familys_secret_is_401(studio, training_secret, inference_secret, family):
    style = studio.style(studio.artist())
    other = WebhookSigner(inference_secret if family == "training" else training_secret)
    body = complete(style["id"]) if family == "training" else {"generation_id": str(uuid.uuid4()), "metadata": {}}
    if family == "inference":
        body["result_url"] = "generations/x.png"
    kind = "complete"
    response = studio.report(family, kind, body, signer=other)
    assert response.status_code == 401 and response.content_type == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Signature")
    assert style_row(studio, style["id"])[0] == "queued"


def test_bad_signatures_are_401_and_change_nothing(studio):
    style = studio.style(studio.artist())
    stale = studio.report("training", "complete", complete(style["id"]), timestamp=int(time.time()) - 600)
    stranger = studio.report("training", "complete", complete(style["id"]), signer=WebhookSigner(generate_secret()))
    unsigned = studio.client.post("/api/webhooks/training/complete", json=complete(style["id"]))
    for response in (stale, stranger, unsigned):
        assert response.status_code == 401 and response.json["type"] == "/problems/invalid-signature"
    assert "tolerance" in stale.json["detail"]
    assert style_row(studio, style["id"])[0] == "queued"


def test_a_second_rotation_secret_is_accepted(studio, studio_settings):
    style = studio.style(studio.artist())
    rotated = WebhookSigner(studio_settings.training_webhook_secrets[0])
    assert studio.report("training", "progress", progress(style["id"], 1), signer=rotated).json["result"] == "applied"


def test_unknown_ids_are_404(studio):
    for style_id in (str(uuid.uuid4()), "not-a-uuid"):
        response = studio.report("training", "complete", complete(style_id))
        assert response.status_code == 404 and response.content_type == "application/problem+json"
    missing = str(uuid.uuid4())
    assert studio.complete(missing).status_code == 404
    assert studio.fail(missing).status_code == 404
    body = {
        "generation_id": missing,
        "progress": {"current_step": 1, "total_steps": 2, "progress_percent": 50, "estimated_seconds": 1},
    }
    assert studio.report("inference", "progress", body).status_code == 404


def test_a_404_does_not_burn_the_webhook_id(studio):
    """The receipt is kept only with an effect, so the same delivery can be retried once the row exists."""
    webhook_id = f"msg_{uuid.uuid4().hex}"
    assert studio.report("training", "failed", failed(str(uuid.uuid4())), webhook_id).status_code == 404
    assert studio.sql.one("SELECT count(*) FROM webhook_receipts WHERE webhook_id = %s", webhook_id) == (0,)


@pytest.mark.parametrize(
    "kind,change",
    [
        ("complete", {"model_path": "../../etc/passwd"}),
        ("complete", {"training_metric": {"loss": "low"}}),
        ("progress", {"progress": {"current_epoch": 1}}),
        ("failed", {"error_code": ""}),
    ],
)
def test_signed_but_invalid_bodies_are_422(studio, kind, change):
    style = studio.style(studio.artist())
    body = {"complete": complete, "progress": lambda s: progress(s, 1), "failed": failed}[kind](style["id"]) | change
    response = studio.report("training", kind, body)
    assert response.status_code == 422 and response.json["errors"]
    assert style_row(studio, style["id"])[0] == "queued"


def test_without_configured_secrets_the_webhooks_are_503(client, training_secret):
    body = b"{}"
    headers = WebhookSigner(training_secret).headers(body)
    response = client.post(
        "/api/webhooks/training/complete", data=body, headers=headers, content_type="application/json"
    )
    assert response.status_code == 503 and "TRAINING_WEBHOOK_SECRETS" in response.json["detail"]
