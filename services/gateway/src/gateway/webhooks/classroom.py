"""POST /api/webhooks/classroom: the llm-worker's ClassroomEvent reports on help request diagnoses and recording
analyses; one report or a batch of them, signed with the same secrets as its job and careers reports."""

from typing import Any

import marshmallow as ma
from flask.views import MethodView

from gateway.classroom.analysis_reports import record_classroom_events
from gateway.classroom.analysis_rules import ClassroomEventIn
from gateway.platform.fields import POSITIVE, Line
from gateway.webhooks.bodies import TaskAcceptedSchema, one_or_batch, report_data_schemas, typed_data
from gateway.webhooks.receiver import SIGNATURE_HEADERS, blp, events_of, receive
from shared.messages.classroom import CLASSROOM_EVENT_DATA, CLASSROOM_TASKS

DATA_SCHEMAS = report_data_schemas("classroom")
EXAMPLE = {
    "id": "help_analysis:0b9d6c1e-2f3a-4b5c-8d7e-6f5a4b3c2d1e:0:1:classroom.completed",
    "type": "classroom.completed",
    "task": "help_analysis",
    "task_id": "0b9d6c1e-2f3a-4b5c-8d7e-6f5a4b3c2d1e",
    "occurred_at": "2026-03-01T09:30:04+00:00",
    "attempt": 1,
    "data": {
        "result": {
            "problem_diagnosis": "'검색'을 3번 누르셨지만, 이 단계에서 할 일은 '설정'을 누르기입니다.",
            "step_by_step_solution": ["화면 오른쪽 위의 톱니바퀴(설정)를 누르세요."],
            "alternative_approaches": ["앱이나 설정의 검색창에서 '설정'을 이름으로 찾아보세요."],
            "confidence_score": 69,
            "estimated_difficulty": "EASY",
        },
        "provider": "local",
        "model": "classroom-offline-v1",
    },
}


class ClassroomEventSchema(ma.Schema):
    """One report about one classroom analysis."""

    version = ma.fields.Integer(load_default=1, validate=ma.validate.Equal(1))
    id = Line(required=True, validate=ma.validate.Length(1, 128), metadata={"example": EXAMPLE["id"]})
    type = ma.fields.String(
        required=True, validate=ma.validate.OneOf(list(CLASSROOM_EVENT_DATA)), metadata={"example": EXAMPLE["type"]}
    )
    task = ma.fields.String(
        required=True, validate=ma.validate.OneOf(CLASSROOM_TASKS), metadata={"example": EXAMPLE["task"]}
    )
    task_id = ma.fields.UUID(
        required=True, metadata={"description": "The help request's or recording's id", "example": EXAMPLE["task_id"]}
    )
    occurred_at = ma.fields.AwareDateTime(required=True, metadata={"example": EXAMPLE["occurred_at"]})
    attempt = ma.fields.Integer(load_default=1, strict=True, validate=POSITIVE)
    data = ma.fields.Dict(
        load_default=dict, metadata={"description": "As the type says (see AsyncAPI)", "example": EXAMPLE["data"]}
    )

    @ma.post_load
    def _typed(self, item, **_):
        item["data"] = typed_data(DATA_SCHEMAS, item)
        item.pop("version")
        return ClassroomEventIn(**item)


class ClassroomEventBatchSchema(ma.Schema):
    """Reports applied in order in one transaction."""

    events = events_of(ClassroomEventSchema)


BATCH, EVENT = ClassroomEventBatchSchema(), ClassroomEventSchema()


def load_classroom_body(payload: Any) -> dict:
    return one_or_batch(BATCH, EVENT, payload)


@blp.route("/classroom")
class ClassroomWebhooks(MethodView):
    @blp.doc(
        parameters=SIGNATURE_HEADERS,
        requestBody={
            "required": True,
            "content": {"application/json": {"schema": {"oneOf": [ClassroomEventBatchSchema, ClassroomEventSchema]}}},
        },
    )
    @blp.response(200, TaskAcceptedSchema)
    @blp.alt_response(401, description="Missing, bad or stale signature")
    @blp.alt_response(422, description="Signed, but the reports do not validate")
    def post(self):
        """Report classroom AI work (llm-worker)

        Help request diagnoses and recording analyses: one report or a
        batch, applied in order; a finished analysis never changes and a
        report older than the last one is `stale`. A completed result that
        does not match its JSON Schema fails the analysis (`invalid_output`)
        and is answered `invalid`.
        """
        return receive(blp.deps.jobs_webhooks, "JOBS_WEBHOOK_SECRETS", load_classroom_body, _record)


def _record(webhook_id: str, batch: dict):
    return record_classroom_events(blp.deps.db.uow(), webhook_id, batch["events"])
