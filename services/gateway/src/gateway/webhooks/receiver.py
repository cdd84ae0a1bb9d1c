"""The one way in for an internal webhook: the sender's signature, then its JSON body, then its schema.

A replayed webhook id is recognised where its effect is recorded: the owning line's service claims the
id's receipt in the same transaction as the effect (gateway.platform.receipts.apply_once), so a replay
gets the first answer back and never a second effect.
"""

from collections.abc import Callable
from typing import Any

import marshmallow as ma
from flask import request

from gateway.platform.blueprint import Blueprint
from gateway.platform.decoding import json_body
from gateway.platform.http import require_json_bodies
from gateway.platform.problems import flatten_messages, problem
from gateway.webhooks.bodies import MAX_EVENTS_PER_WEBHOOK, ReportAcceptedSchema
from shared.webhooks import InvalidSignature, WebhookVerifier

blp = Blueprint(
    "webhooks",
    __name__,
    url_prefix="/api/webhooks",
    description="Internal webhooks, signed the Standard Webhooks way (webhook-id, webhook-timestamp, "
    "webhook-signature). A bad signature gets 401; a replayed webhook-id has no second effect.",
)
studio_blp = Blueprint(
    "studio_webhooks",
    __name__,
    url_prefix="/api/webhooks",
    description="AI servers' reports on trainings and generations, signed the Standard Webhooks way with the "
    "family's own secret. A bad, stale or other family's signature gets 401; a replayed webhook-id has no second "
    "effect; an unknown id is 404; a report on finished work is answered `stale`.",
)
require_json_bodies(blp)
require_json_bodies(studio_blp)
SIGNATURE_HEADERS = [
    {"in": "header", "name": name, "required": True, "schema": {"type": "string"}}
    for name in ("webhook-id", "webhook-timestamp", "webhook-signature")
]


def receive(
    verifier: WebhookVerifier | None,
    setting: str,
    load: Callable[[Any], Any],
    record: Callable[[str, Any], Any],
    what: str = "events",
) -> Any:
    """`record(webhook id, loaded body)` of a webhook signed by `verifier`, or the problem response that refuses it."""
    body = request.get_data(cache=False)
    if verifier is None:
        return problem(503, f"No {setting} are configured.")
    try:
        webhook_id = verifier.verify(body, request.headers)  # the body is verified before it is parsed
    except InvalidSignature as exc:
        return problem(
            401, str(exc), kind="invalid-signature", headers={"WWW-Authenticate": 'Signature realm="webhooks"'}
        )
    payload = json_body(body)  # a 400 problem for a body that is not JSON or holds a NUL
    try:
        loaded = load(payload)
    except ma.ValidationError as exc:
        errors = flatten_messages({"json": exc.messages})
        return problem(422, f"{len(errors)} problem(s) in the {what}", errors=errors)
    return record(webhook_id, loaded)


def events_of(schema: type[ma.Schema]) -> ma.fields.List:
    """The `events` of a batch: 1 to MAX_EVENTS_PER_WEBHOOK reports, applied in order in one transaction."""
    return ma.fields.List(
        ma.fields.Nested(schema), required=True, validate=ma.validate.Length(min=1, max=MAX_EVENTS_PER_WEBHOOK)
    )


SUMMARIES = {
    "progress": "Report progress ({noun})\n\nIgnored (`stale`) once finished or when below the progress recorded.",
    "complete": "Report a finished {noun}\n\nApplies once; a repeat is `stale`.",
    "failed": "Report a failed {noun}\n\nApplies once; a repeat is `stale`.",
}


def studio_view(kind: str, noun: str, body: ma.Schema, verifier: Callable, setting: str, record: Callable) -> Callable:
    """The view of an AI server's `kind` report: documented, verified by `verifier()` and loaded by `body`,
    then `record(webhook id, body)`."""

    @studio_blp.doc(
        parameters=SIGNATURE_HEADERS,
        requestBody={"required": True, "content": {"application/json": {"schema": body}}},
    )
    @studio_blp.response(200, ReportAcceptedSchema)
    @studio_blp.alt_response(401, description="Missing, bad or stale signature, or another family's secret")
    @studio_blp.alt_response(404, description="No such style or generation")
    @studio_blp.alt_response(422, description="Signed, but the body does not validate")
    def view(self):
        return receive(verifier(), setting, body.load, record, "report")

    view.__doc__ = SUMMARIES[kind].format(noun=noun)
    return view
