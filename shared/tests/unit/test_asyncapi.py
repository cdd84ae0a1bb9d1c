"""docs/asyncapi.yaml against the code: a contract or topology change without a document change fails here."""

import dataclasses
import types
import typing
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

import shared.messages
from shared.amqp.topology import FAMILY_EXCHANGES, UNROUTABLE_EXCHANGE, delay_queues, stream_queues, work_queues
from shared.messages import (
    AccountClosed,
    ActivityLogged,
    AnalyzeHelpRequest,
    AnalyzeRecording,
    BuildStudyGuide,
    CareersEvent,
    ChargePayment,
    ClassroomEvent,
    DeliverWebhook,
    DomainEvent,
    GenerateImage,
    JobEvent,
    Message,
    NotifierReport,
    PaymentEvent,
    RefundPayment,
    ReviewResume,
    RewriteResume,
    RunInterviewStep,
    RunJob,
    SessionRevoked,
    TrainStyle,
)
from shared.messages.careers import CAREERS_EVENT_DATA, CAREERS_TASKS, INTERVIEW_ACTIONS
from shared.messages.classroom import CLASSROOM_EVENT_DATA, CLASSROOM_TASKS, SESSION_EVENT_TYPES, SessionEvent
from shared.messages.events import EVENT_TYPES, NOTIFIER_REPORT_TYPES, REVOCATION_REASONS
from shared.messages.jobs import JOB_EVENT_TYPES
from shared.messages.payments import PAYMENT_EVENT_TYPES, PAYMENT_METHODS
from shared.messages.styles import (
    ASPECT_RATIO_SIZES,
    EpochProgress,
    InferenceCompleted,
    InferenceFailed,
    InferenceProgress,
    StepProgress,
    TrainingCompleted,
    TrainingFailed,
    TrainingMetric,
    TrainingProgress,
    WebhookReport,
)

DOC_PATH = Path(__file__).resolve().parents[3] / "docs" / "asyncapi.yaml"
DOC = yaml.safe_load(DOC_PATH.read_text(encoding="utf-8"))
SCHEMAS = DOC["components"]["schemas"]
BASE_URI = "urn:platform:asyncapi"
REGISTRY = Registry().with_resource(BASE_URI, Resource(contents=DOC, specification=DRAFT202012))

NOW = "2026-03-01T09:30:00+00:00"
JOB_ID = "6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f"
RESUME = {
    "title": "Backend developer",
    "self_introduction": "I build APIs.",
    "experiences": [{"job_title": "Engineer", "job_description": "Cut p99 by 40%", "start_date": "2021-03-01"}],
    "technology_stacks": [{"name": "Python"}],
}
POSTING = {"title": "Backend", "company": "Acme", "qualification": "Python, AWS", "prefer": "Kubernetes"}
FEEDBACK = {"matching_rate": 60, "feedback_contents": [{"division": "2", "result": "Add AWS."}]}

MESSAGES = [
    RunJob(job_id=JOB_ID, text="Meeting notes: ship the beta on Friday, Kim owns QA.", requested_at=NOW),
    JobEvent(
        id=f"{JOB_ID}:completed",
        type="job.completed",
        job_id=JOB_ID,
        occurred_at=NOW,
        attempt=2,
        data={"summary": "Ship Friday.", "checklist": ["QA"], "provider": "openai", "model": "gpt-4o-mini"},
    ),
    ChargePayment(
        payment_id="pay_01HZX",
        user_id="user_42",
        amount=15000,
        currency="KRW",
        method="card",
        order_name="1,000 tokens",
        requested_at=NOW,
        card_number="4000000000000002",
    ),
    RefundPayment(payment_id="pay_01HZX", amount=15000, reason="bought by mistake", requested_at=NOW),
    PaymentEvent(
        id="pay_01HZX:paid",
        type="payment.paid",
        payment_id="pay_01HZX",
        occurred_at=NOW,
        data={"provider": "sandbox", "provider_transaction_id": "tx_9", "amount": 15000, "paid_at": NOW},
    ),
    DomainEvent(
        id="evt_01",
        type="job.completed",
        user_id="user_42",
        occurred_at=NOW,
        title="Your job is done",
        body="The checklist is ready.",
        data={"job_id": JOB_ID},
        notification_id="ntf_7",
        realtime=True,
        email="kim@example.com",
    ),
    DeliverWebhook(
        delivery_id="msg_2bX",
        endpoint_id="ep_3",
        url="https://hooks.example.com/platform",
        secret="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        event_id="evt_01",
        event_type="job.completed",
        payload={"type": "job.completed", "data": {"job_id": JOB_ID}},
        attempt=3,
        first_attempt_at=NOW,
    ),
    NotifierReport(
        id="msg_2bX:3",
        type="webhook.attempted",
        endpoint_id="ep_3",
        occurred_at=NOW,
        data={"delivery_id": "msg_2bX", "attempt": 3, "status_code": 200, "outcome": "delivered"},
    ),
    TrainStyle(
        style_id="style_1",
        artist_id="artist_1",
        image_keys=[f"uploads/style_1/{i}.png" for i in range(12)],
        epochs=10,
        requested_at=NOW,
    ),
    SessionRevoked(
        user_id="user_42",
        session_id="5b0e3c1a-7d2f-4e8b-9a6c-1f2e3d4c5b6a",
        reason="signed_out",
        revoked_at=NOW,
        expires_at="2026-03-01T09:45:00+00:00",
    ),
    AccountClosed(user_id="user_42", closed_at=NOW, expires_at="2026-03-01T09:45:00+00:00"),
    GenerateImage(
        generation_id="gen_1",
        style_id="style_1",
        artist_id="artist_1",
        model_key="styles/style_1/model.json",
        prompt_tags=["sea", "night"],
        aspect_ratio="1:2",
        seed=42,
        signature_id=2**64 - 1,
        requested_at=NOW,
    ),
    ReviewResume(feedback_id="fb_1", resume=RESUME, posting=POSTING, requested_at=NOW),
    RewriteResume(rewrite_id="rw_1", resume=RESUME, feedback=FEEDBACK, requested_at=NOW),
    RunInterviewStep(
        interview_id="iv_1",
        step=2,
        action="answer",
        resume=RESUME,
        turns=[{"question_id": "q1", "competence": "collaboration", "question": "A conflict?", "answer": "We..."}],
        requested_at=NOW,
    ),
    BuildStudyGuide(guide_id="sg_1", posting=POSTING, feedback=FEEDBACK, requested_at=NOW),
    CareersEvent(
        id="feedback:fb_1:0:1:careers.completed",
        type="careers.completed",
        task="feedback",
        task_id="fb_1",
        occurred_at=NOW,
        data={"result": {"matching_rate": 60}, "provider": "local", "model": "careers-offline-v1"},
    ),
    AnalyzeHelpRequest(
        help_request_id="hr_1",
        step={"title": "Open settings", "target_action": "CLICK", "guide_text": "Tap the gear icon."},
        context={"recent_activity": [{"event_type": "CLICK", "element": "Search"}], "error_message": None},
        requested_at=NOW,
    ),
    AnalyzeRecording(
        recording_id="rec_1",
        events=[{"event_type": "CLICK", "occurred_at": NOW, "screen": "Home", "element": "Settings"}],
        requested_at=NOW,
    ),
    ClassroomEvent(
        id="help_analysis:hr_1:1:classroom.completed",
        type="classroom.completed",
        task="help_analysis",
        task_id="hr_1",
        occurred_at=NOW,
        data={"result": {"confidence_score": 80}, "provider": "local", "model": "classroom-offline-v1"},
    ),
    SessionEvent(
        id="3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b",
        type="step_changed",
        session_id="6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f",
        code="HK7M3R",
        lecture_id="0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        seq=7,
        occurred_at=NOW,
        data={"step": {"id": "st_2", "title": "Open settings", "position": 2, "total_steps": 5}},
        state={"status": "IN_PROGRESS", "current_step": {"id": "st_2", "position": 2}, "participants": 31},
    ),
    ActivityLogged(
        batch_id="9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a",
        received_at=NOW,
        events=[
            {
                "event_id": "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
                "event_type": "VIEW_CLICKED",
                "occurred_at": NOW,
                "session_id": "6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f",
                "package": "com.kakao.talk",
                "screen": "ChatRoomActivity",
                "element": "com.kakao.talk:id/send",
                "x": 980,
                "y": 2210,
            }
        ],
    ),
]

REPORTS = {
    "TrainingProgressBody": TrainingProgress("style_1", EpochProgress(3, 10, 30, 70)),
    "TrainingCompletedBody": TrainingCompleted("style_1", "styles/style_1/model.json", TrainingMetric(0.0123, 10)),
    "TrainingFailedBody": TrainingFailed("style_1", "image 3 is not an image", "unreadable_image"),
    "InferenceProgressBody": InferenceProgress("gen_1", StepProgress(5, 20, 25, 12)),
    "InferenceCompletedBody": InferenceCompleted(
        "gen_1",
        "generations/gen_1.png",
        {"width": 512, "height": 1024, "seed": 42, "signature_id": 7, "engine": "local", "signature_verified": True},
    ),
    "InferenceFailedBody": InferenceFailed("gen_1", "model is missing", "model_not_found"),
}

JSON_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean", dict: "object", list: "array"}


def validator(schema_name: str) -> Draft202012Validator:
    return Draft202012Validator(
        {"$ref": f"{BASE_URI}#/components/schemas/{schema_name}"}, registry=REGISTRY, format_checker=FormatChecker()
    )


def message_classes() -> list[type[Message]]:
    found = [getattr(shared.messages, name) for name in shared.messages.__all__]
    return [c for c in found if isinstance(c, type) and issubclass(c, Message) and c is not Message]


def json_types(annotation) -> set[str]:
    """The JSON types a field annotation allows ('null' for `X | None`)."""
    args = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else (annotation,)
    result = set()
    for arg in args:
        if arg is type(None):
            result.add("null")
        else:
            result.add(JSON_TYPES[typing.get_origin(arg) or arg])
    return result


def schema_types(prop: dict) -> set[str]:
    kind = prop["type"]
    return {kind} if isinstance(kind, str) else set(kind)


def test_document_is_asyncapi_3():
    assert DOC["asyncapi"] == "3.0.0"
    for key in ("info", "servers", "channels", "operations", "components"):
        assert DOC[key], key
    assert DOC["info"]["title"] and DOC["info"]["version"]
    assert {s["protocol"] for s in DOC["servers"].values()} == {"amqp", "http"}
    for schema in SCHEMAS.values():
        Draft202012Validator.check_schema(schema)


def test_every_message_class_is_covered():
    classes = message_classes()
    assert len(classes) == len(MESSAGES) == len({type(m) for m in MESSAGES})
    assert {type(m) for m in MESSAGES} == set(classes)


@pytest.mark.parametrize("cls", message_classes(), ids=lambda c: c.__name__)
def test_schema_matches_dataclass(cls):
    schema = SCHEMAS[cls.__name__]
    fields = dataclasses.fields(cls)
    required = [f.name for f in fields if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    assert sorted(schema["required"]) == sorted(["version", *required])
    assert set(schema["properties"]) == {"version", *(f.name for f in fields)}
    assert schema["properties"]["version"] == {"type": "integer", "const": cls.VERSION}
    hints = typing.get_type_hints(cls)
    for field in fields:
        assert schema_types(schema["properties"][field.name]) == json_types(hints[field.name]), field.name


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: type(m).__name__)
def test_real_message_validates(message):
    data = message.to_dict()
    validator(type(message).__name__).validate(data)
    for name in SCHEMAS[type(message).__name__]["required"]:
        broken = {k: v for k, v in data.items() if k != name}
        assert not validator(type(message).__name__).is_valid(broken), f"{name} should be required"


def test_optional_fields_validate_at_their_defaults():
    minimal = DomainEvent(id="e", type="payment.paid", user_id="u", occurred_at=NOW, title="Paid", body="Thanks.")
    validator("DomainEvent").validate(minimal.to_dict())
    charge = ChargePayment(
        payment_id="p", user_id="u", amount=1, currency="KRW", method="kakaopay", order_name="x", requested_at=NOW
    )
    validator("ChargePayment").validate(charge.to_dict())
    assert not validator("RunJob").is_valid({**MESSAGES[0].to_dict(), "version": 2})


def test_enumerations_match_the_code():
    assert SCHEMAS["JobEvent"]["properties"]["type"]["enum"] == list(JOB_EVENT_TYPES)
    assert SCHEMAS["PaymentEvent"]["properties"]["type"]["enum"] == list(PAYMENT_EVENT_TYPES)
    assert SCHEMAS["NotifierReport"]["properties"]["type"]["enum"] == list(NOTIFIER_REPORT_TYPES)
    assert SCHEMAS["DomainEvent"]["properties"]["type"]["enum"] == list(EVENT_TYPES)
    assert SCHEMAS["SessionRevoked"]["properties"]["reason"]["enum"] == list(REVOCATION_REASONS)
    assert SCHEMAS["ChargePayment"]["properties"]["method"]["enum"] == list(PAYMENT_METHODS)
    assert SCHEMAS["GenerateImage"]["properties"]["aspect_ratio"]["enum"] == list(ASPECT_RATIO_SIZES)
    assert SCHEMAS["CareersEvent"]["properties"]["type"]["enum"] == list(CAREERS_EVENT_DATA)
    assert SCHEMAS["CareersEvent"]["properties"]["task"]["enum"] == list(CAREERS_TASKS)
    assert SCHEMAS["RunInterviewStep"]["properties"]["action"]["enum"] == list(INTERVIEW_ACTIONS)
    assert DOC["channels"]["careersWork"]["parameters"]["task"]["enum"] == list(CAREERS_TASKS)
    assert SCHEMAS["ClassroomEvent"]["properties"]["type"]["enum"] == list(CLASSROOM_EVENT_DATA)
    assert SCHEMAS["ClassroomEvent"]["properties"]["task"]["enum"] == list(CLASSROOM_TASKS)
    assert DOC["channels"]["classroomWork"]["parameters"]["task"]["enum"] == list(CLASSROOM_TASKS)
    assert SCHEMAS["SessionEvent"]["properties"]["type"]["enum"] == list(SESSION_EVENT_TYPES)
    assert DOC["channels"]["sessionEvents"]["parameters"]["sessionEventType"]["enum"] == list(SESSION_EVENT_TYPES)


def test_webhook_batches_validate():
    by_name = {type(m).__name__: m.to_dict() for m in MESSAGES}
    validator("JobEventBatch").validate({"events": [by_name["JobEvent"]]})
    validator("PaymentEventBatch").validate({"events": [by_name["PaymentEvent"]]})
    validator("NotifierReportBatch").validate({"events": [by_name["NotifierReport"]]})
    validator("CareersEventBatch").validate({"events": [by_name["CareersEvent"]]})
    validator("ClassroomEventBatch").validate({"events": [by_name["ClassroomEvent"]]})
    assert not validator("JobEventBatch").is_valid({"events": []})


@pytest.mark.parametrize("schema_name", sorted(REPORTS))
def test_studio_webhook_bodies_validate(schema_name):
    report = REPORTS[schema_name]
    validator(schema_name).validate(report.body())
    assert sorted(SCHEMAS[schema_name]["required"]) == sorted(report.body())


def http_operations() -> dict[str, str]:
    """address -> HTTP method of every webhook the gateway receives."""
    result = {}
    for op in DOC["operations"].values():
        if "http" in op.get("bindings", {}):
            channel = DOC["channels"][op["channel"]["$ref"].rsplit("/", 1)[1]]
            result[channel["address"]] = op["bindings"]["http"]["method"]
    return result


def test_webhook_paths_and_methods():
    studio = {type(r).PATH: type(r).METHOD for r in REPORTS.values()}
    assert all(issubclass(type(r), WebhookReport) for r in REPORTS.values())
    expected = {f"/api/webhooks/{p}": "POST" for p in ("jobs", "careers", "classroom", "payments", "notifier")} | studio
    assert http_operations() == expected
    headers = SCHEMAS["WebhookHeaders"]["required"]
    assert headers == ["webhook-id", "webhook-timestamp", "webhook-signature"]


def amqp_channels() -> list[dict]:
    return [c for c in DOC["channels"].values() if "amqp" in c.get("bindings", {})]


def test_every_work_queue_binding_is_in_a_channel():
    for wq in work_queues():
        queue_args = dict(wq.queues())
        for key in wq.routing_keys:
            matches = [
                (channel, queue)
                for channel in amqp_channels()
                if channel["bindings"]["amqp"]["exchange"]["name"] == wq.exchange
                for queue in channel.get("x-queues", [])
                if queue["name"] == wq.name and key in queue.get("bindingKeys", [])
            ]
            assert matches, f"{wq.exchange} / {key} -> {wq.name} is not in any channel"
            for channel, queue in matches:
                exchange = channel["bindings"]["amqp"]["exchange"]
                assert channel["bindings"]["amqp"]["is"] == "routingKey"
                assert (exchange["type"], exchange["durable"]) == ("topic", True)
                assert queue["arguments"] == queue_args[wq.name]
                assert queue["deadLetterQueue"] == wq.dead_name
                assert queue["retryQueues"] == [wq.retry_name(i + 1) for i in range(len(wq.retry_delays_ms))]
            if "*" not in key and "#" not in key:
                assert any(c["address"] == key for c, _ in matches), f"no channel addressed {key}"


def test_exchanges_and_delay_queues():
    exchanges = {c["bindings"]["amqp"]["exchange"]["name"] for c in amqp_channels()}
    assert set(FAMILY_EXCHANGES) <= exchanges
    assert UNROUTABLE_EXCHANGE in DOC["info"]["description"]
    documented = {q["name"]: q["arguments"] for c in amqp_channels() for q in c.get("x-queues", [])}
    for ladder in delay_queues():
        for name, args in ladder.queues():
            assert documented.get(name) == args, name


def test_every_stream_is_documented_with_its_binding_and_retention():
    for stream in stream_queues():
        matches = [
            (channel, queue)
            for channel in amqp_channels()
            for queue in channel.get("x-queues", [])
            if queue["name"] == stream.name
        ]
        assert matches, f"{stream.name} is in no channel"
        for channel, queue in matches:
            assert channel["bindings"]["amqp"]["exchange"]["name"] == stream.exchange
            assert (queue["type"], queue["arguments"]) == ("stream", stream.arguments())
            assert queue["bindingKeys"] == list(stream.routing_keys)
            assert channel["address"] in stream.routing_keys


def test_careers_commands_go_where_the_careers_channel_says():
    channel = DOC["channels"]["careersWork"]
    tasks = channel["parameters"]["task"]["enum"]
    for cls in (ReviewResume, RewriteResume, RunInterviewStep, BuildStudyGuide):
        prefix, task = cls.ROUTING_KEY.split(".", 1)
        assert (cls.EXCHANGE, prefix, task in tasks) == ("jobs", "careers", True), cls.__name__
        assert cls.__name__ in channel["messages"]


def test_classroom_commands_go_where_the_classroom_channel_says():
    channel = DOC["channels"]["classroomWork"]
    tasks = channel["parameters"]["task"]["enum"]
    for cls in (AnalyzeHelpRequest, AnalyzeRecording):
        prefix, task = cls.ROUTING_KEY.split(".", 1)
        assert (cls.EXCHANGE, prefix, task in tasks) == ("jobs", "classroom", True), cls.__name__
        assert cls.__name__ in channel["messages"]
