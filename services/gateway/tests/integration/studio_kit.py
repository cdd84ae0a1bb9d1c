"""Helpers of the style studio tests: images, SQL, and a driver that plays artists, users and AI servers."""

import io
import json
import uuid

import numpy as np
import psycopg
from PIL import Image

from gateway.wallet import service as wallet
from shared.webhooks import WebhookSigner

SIGNATURE_KEY = "gateway-tests-signature-key"


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (256, 256), seed: int = 0, **save) -> bytes:
    """A noisy colour image (so it compresses like a picture, not like a flat fill)."""
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 256, size=(size[1], size[0], 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(buffer, fmt, **save)
    return buffer.getvalue()


def training_set(count: int = 10, fmt: str = "JPEG", size=(256, 256)) -> list[tuple[str, bytes]]:
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[fmt]
    return [(f"art-{n}.{extension}", image_bytes(fmt, size, seed=n)) for n in range(count)]


class Sql:
    def __init__(self, dsn: str):
        self.dsn = dsn

    def one(self, query: str, *params):
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            return conn.execute(query, params).fetchone()

    def all(self, query: str, *params):
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            return conn.execute(query, params).fetchall()


class Studio:
    """Drives the studio through its HTTP API, and plays the AI servers with their signed webhooks."""

    def __init__(self, app, accounts, sql: Sql, training_secret: str, inference_secret: str):
        self.app, self.client, self.accounts, self.sql = app, app.test_client(), accounts, sql
        self.signers = {"training": WebhookSigner(training_secret), "inference": WebhookSigner(inference_secret)}

    def artist(self):
        who = self.accounts.new()
        assert self.client.post("/api/users/me/upgrade-to-artist", headers=who.headers).status_code == 200
        return who

    def upload(self, who, images=None, client=None, **fields):
        form = {"name": "Harbour at dusk", "description": "Soft blues", "price_per_generation": "20", **fields}
        files = [(io.BytesIO(data), name) for name, data in (training_set() if images is None else images)]
        return (client or self.client).post(
            "/api/styles", data={**form, "images": files}, headers=who.headers, content_type="multipart/form-data"
        )

    def style(self, who, **fields) -> dict:
        response = self.upload(who, **fields)
        assert response.status_code == 202, response.json
        return response.json

    def report(self, family: str, kind: str, body: dict, webhook_id=None, signer=None, timestamp=None):
        raw = json.dumps(body).encode()
        headers = (signer or self.signers[family]).headers(raw, webhook_id, timestamp)
        method = "PATCH" if kind == "progress" else "POST"
        return self.client.open(
            f"/api/webhooks/{family}/{kind}", method=method, data=raw, headers=headers, content_type="application/json"
        )

    def trained(self, who, **fields) -> dict:
        """A style uploaded and reported trained."""
        style = self.style(who, **fields)
        body = {"style_id": style["id"], "model_path": f"styles/{style['id']}/model-x.json"}
        body["training_metric"] = {"loss": 0.01, "epochs": 30}
        assert self.report("training", "complete", body).json["result"] == "applied"
        return style

    def grant(self, who, amount: int) -> None:
        user = uuid.UUID(who.user["id"])
        wallet.grant(self.app.extensions["gateway"].db.uow(), user, amount, f"grant-{uuid.uuid4()}", "test grant")

    def balance(self, who) -> int:
        return self.client.get("/api/tokens/balance", headers=who.headers).json["balance"]

    def generate(self, who, style_id: str, client=None, **fields):
        body = {"style_id": style_id, "prompt_tags": ["sunset", "boats"], "aspect_ratio": "1:1", **fields}
        return (client or self.client).post("/api/generations", json=body, headers=who.headers)

    def complete(self, generation_id: str, webhook_id=None):
        body = {"generation_id": generation_id, "result_url": f"generations/{generation_id}.png"}
        body["metadata"] = {"width": 512, "height": 512, "engine": "embedded"}
        return self.report("inference", "complete", body, webhook_id)

    def completed(self, who, style_id: str, **fields) -> dict:
        """A generation paid for (tokens granted first) and reported done."""
        self.grant(who, 200)
        generation = self.generate(who, style_id, **fields).json
        assert self.complete(generation["id"]).json["result"] == "applied"
        return generation

    def fail(self, generation_id: str, webhook_id=None):
        body = {"generation_id": generation_id, "error_message": "the engine gave up", "error_code": "engine_error"}
        return self.report("inference", "failed", body, webhook_id)
