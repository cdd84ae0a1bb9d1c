"""POST /api/webhooks/careers: the llm-worker's CareersEvent reports on résumé feedback, rewrites, interviews and
study guides; one report or a batch of them, signed with the same secrets as its job reports."""

from typing import Any

import marshmallow as ma
from flask.views import MethodView

from gateway.careers.reports import record_careers_events
from gateway.careers.work_rules import CareersEventIn
from gateway.platform.fields import COUNT, POSITIVE, Line
from gateway.webhooks.bodies import TaskAcceptedSchema, one_or_batch, report_data_schemas, typed_data
from gateway.webhooks.receiver import SIGNATURE_HEADERS, blp, events_of, receive
from shared.messages.careers import CAREERS_EVENT_DATA, CAREERS_TASKS

DATA_SCHEMAS = report_data_schemas("careers")


class CareersEventSchema(ma.Schema):
    """One report about one careers task."""

    version = ma.fields.Integer(load_default=1, validate=ma.validate.Equal(1))
    id = Line(required=True, validate=ma.validate.Length(1, 128))
    type = ma.fields.String(required=True, validate=ma.validate.OneOf(list(CAREERS_EVENT_DATA)))
    task = ma.fields.String(required=True, validate=ma.validate.OneOf(CAREERS_TASKS))
    task_id = ma.fields.UUID(required=True, metadata={"description": "The feedback's, rewrite's, ... id"})
    step = ma.fields.Integer(load_default=0, strict=True, validate=COUNT, metadata={"description": "An interview's"})
    occurred_at = ma.fields.AwareDateTime(required=True)
    attempt = ma.fields.Integer(load_default=1, strict=True, validate=POSITIVE)
    data = ma.fields.Dict(load_default=dict)

    @ma.post_load
    def _typed(self, item, **_):
        item["data"] = typed_data(DATA_SCHEMAS, item)
        item.pop("version")
        return CareersEventIn(**item)


class CareersEventBatchSchema(ma.Schema):
    """Reports applied in order in one transaction."""

    events = events_of(CareersEventSchema)


BATCH, EVENT = CareersEventBatchSchema(), CareersEventSchema()


def load_careers_body(payload: Any) -> dict:
    """A batch ({"events": [...]}) or one report, as a batch."""
    return one_or_batch(BATCH, EVENT, payload)


@blp.route("/careers")
class CareersWebhooks(MethodView):
    @blp.doc(
        parameters=SIGNATURE_HEADERS,
        requestBody={
            "required": True,
            "content": {"application/json": {"schema": {"oneOf": [CareersEventBatchSchema, CareersEventSchema]}}},
        },
    )
    @blp.response(200, TaskAcceptedSchema)
    @blp.alt_response(401, description="Missing, bad or stale signature")
    @blp.alt_response(422, description="Signed, but the reports do not validate")
    def post(self):
        """Report careers AI work (llm-worker)

        One report or a batch, applied in order; a finished task never changes
        and a report older than the last one is `stale`. A completed result
        that does not match its task's JSON Schema fails the task
        (`invalid_output`) and is answered `invalid`.
        """
        return receive(blp.deps.jobs_webhooks, "JOBS_WEBHOOK_SECRETS", load_careers_body, _record)


def _record(webhook_id: str, batch: dict):
    return record_careers_events(blp.deps.db.uow(), webhook_id, batch["events"])
