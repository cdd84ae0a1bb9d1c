"""Every internal webhook's body, as the gateway loads it, is the contract its sender builds it by.

The contracts live once, in shared.messages (the senders' tests check the
reports they build against them); the gateway's schemas add the limits. This test holds
the two to the same field names, the same required fields and the same nested
objects, for every report type, so a field added on one side cannot be missing
on the other. The few fields a sender sends and the gateway deliberately leaves
aside are named below, each with its reason.
"""

import dataclasses

import marshmallow as ma
import pytest

from gateway.accounts.tokens import generate_private_key_pem
from gateway.app import create_app
from gateway.settings import GatewaySettings
from gateway.webhooks import careers, classroom, inference, jobs, notifier, payments, training
from shared.messages import styles
from shared.messages.careers import CAREERS_EVENT_DATA, CareersEvent
from shared.messages.classroom import CLASSROOM_EVENT_DATA, ClassroomEvent
from shared.messages.events import NOTIFIER_REPORT_DATA, NOTIFIER_REPORT_TYPES, NotifierReport
from shared.messages.jobs import JOB_EVENT_DATA, JOB_EVENT_TYPES, JobEvent
from shared.messages.payments import PAYMENT_EVENT_DATA, PAYMENT_EVENT_TYPES, PaymentEvent
from shared.messages.reports import FieldShape, shape

pytestmark = pytest.mark.unit

# Sent, and left aside by the gateway: it records when it applies an outcome, and the notifier owns its retries.
PAYMENT_DATA_LEFT_ASIDE = {"paid_at", "cancelled_at"}
ATTEMPT_DATA_LEFT_ASIDE = {"next_attempt_in_ms", "next_attempt_at"}
ENVELOPE = {"version": FieldShape(required=False)}  # Message.to_dict() adds it; the schemas default it

STUDIO = [
    (styles.TrainingProgress, training.BODIES["progress"]),
    (styles.TrainingCompleted, training.BODIES["complete"]),
    (styles.TrainingFailed, training.BODIES["failed"]),
    (styles.InferenceProgress, inference.BODIES["progress"]),
    (styles.InferenceCompleted, inference.BODIES["complete"]),
    (styles.InferenceFailed, inference.BODIES["failed"]),
]


def schema_shape(schema: ma.Schema) -> dict[str, tuple[bool, ma.Schema | None]]:
    """Each field the schema loads: required or not, and the schema of the object(s) it holds."""
    result = {}
    for name, field in schema.load_fields.items():
        inner = field.inner if isinstance(field, ma.fields.List) else field
        nested = inner.schema if isinstance(inner, ma.fields.Nested) else None
        result[field.data_key or name] = (field.required, nested)
    return result


def differences(
    contract: dict[str, FieldShape], schema: ma.Schema, left_aside=frozenset(), opaque=frozenset(), where=""
) -> list[str]:
    """How `schema` and a contract's fields disagree (empty when they agree), nested objects included;
    `opaque` fields are compared by name and required-ness only."""
    loaded = schema_shape(schema)
    found = [f"{where}{n}: sent, unknown to the gateway" for n in sorted(contract.keys() - loaded.keys() - left_aside)]
    found += [f"{where}{n}: loaded, not in the contract" for n in sorted(loaded.keys() - contract.keys())]
    for name in sorted(contract.keys() & loaded.keys()):
        (required, nested_schema), field = loaded[name], contract[name]
        if required != field.required:
            found.append(f"{where}{name}: required {field.required} in the contract, {required} in the gateway")
        if name in opaque:
            continue
        if (field.nested is None) != (nested_schema is None):
            found.append(f"{where}{name}: an object on one side only")
        elif field.nested is not None:
            found += differences(shape(field.nested), nested_schema, where=f"{where}{name}.")
    return found


@pytest.mark.parametrize("kind", JOB_EVENT_TYPES)
def test_job_report_data(kind):
    assert differences(shape(JOB_EVENT_DATA[kind]), jobs.DATA_SCHEMAS[kind]) == []


@pytest.mark.parametrize("kind", list(CAREERS_EVENT_DATA))
def test_careers_report_data(kind):
    assert differences(shape(CAREERS_EVENT_DATA[kind]), careers.DATA_SCHEMAS[kind]) == []


@pytest.mark.parametrize("kind", list(CLASSROOM_EVENT_DATA))
def test_classroom_report_data(kind):
    assert differences(shape(CLASSROOM_EVENT_DATA[kind]), classroom.DATA_SCHEMAS[kind]) == []


@pytest.mark.parametrize("kind", NOTIFIER_REPORT_TYPES)
def test_notifier_report_data(kind):
    left_aside = ATTEMPT_DATA_LEFT_ASIDE if kind == "webhook.attempted" else set()
    assert differences(shape(NOTIFIER_REPORT_DATA[kind]), notifier.DATA_SCHEMAS[kind], left_aside) == []


def test_payment_event_data():
    """One schema loads the data of every type: it holds each type's fields, and requires none that a type lacks."""
    per_type = [shape(contract) for contract in PAYMENT_EVENT_DATA.values()]
    names = {name for fields in per_type for name in fields}
    union = {name: FieldShape(required=all(name in f and f[name].required for f in per_type)) for name in names}
    assert differences(union, payments.PaymentEventData(), PAYMENT_DATA_LEFT_ASIDE) == []


@pytest.mark.parametrize(
    ("message", "schema"),
    [
        (JobEvent, jobs.JobEventSchema()),
        (PaymentEvent, payments.PaymentEventSchema()),
        (NotifierReport, notifier.NotifierReportSchema()),
        (CareersEvent, careers.CareersEventSchema()),
        (ClassroomEvent, classroom.ClassroomEventSchema()),
    ],
    ids=["jobs", "payments", "notifier", "careers", "classroom"],
)
def test_report_envelopes(message, schema):
    contract = {**shape(message), **ENVELOPE}
    assert differences(contract, schema, opaque={"data"}) == []  # data: by type, above


@pytest.mark.parametrize(("contract", "schema"), STUDIO, ids=[contract.__name__ for contract, _ in STUDIO])
def test_studio_report_bodies(contract, schema):
    assert differences(shape(contract), schema) == []


def test_every_report_type_has_a_contract_and_a_schema():
    assert set(JOB_EVENT_DATA) == set(JOB_EVENT_TYPES) == set(jobs.DATA_SCHEMAS)
    assert set(NOTIFIER_REPORT_DATA) == set(NOTIFIER_REPORT_TYPES) == set(notifier.DATA_SCHEMAS)
    assert set(PAYMENT_EVENT_DATA) == set(PAYMENT_EVENT_TYPES)
    assert set(CAREERS_EVENT_DATA) == set(careers.DATA_SCHEMAS)
    assert set(CLASSROOM_EVENT_DATA) == set(classroom.DATA_SCHEMAS)
    reports = {c for c in vars(styles).values() if isinstance(c, type) and issubclass(c, styles.WebhookReport)}
    assert reports - {styles.WebhookReport} == {contract for contract, _ in STUDIO}


def test_every_internal_webhook_route_is_a_report_with_a_contract():
    app = create_app(GatewaySettings(_env_file=None, app_env="test", jwt_private_key=generate_private_key_pem()))
    routes = {str(rule) for rule in app.url_map.iter_rules() if str(rule).startswith("/api/webhooks/")}
    batches = {f"/api/webhooks/{name}" for name in ("jobs", "payments", "notifier", "careers", "classroom")}
    assert routes == batches | {contract.PATH for contract, _ in STUDIO}


def test_a_drift_is_found():
    """The comparison itself: a field on one side only, a required-ness changed, a nested object's field."""

    @dataclasses.dataclass(frozen=True, kw_only=True)
    class Inner:
        a: int

    @dataclasses.dataclass(frozen=True, kw_only=True)
    class Report:
        name: str
        extra: str | None = None
        inner: Inner | None = None

    class InnerIn(ma.Schema):
        a = ma.fields.Integer()
        b = ma.fields.Integer()

    class ReportIn(ma.Schema):
        name = ma.fields.String()
        inner = ma.fields.Nested(InnerIn)

    assert differences(shape(Report), ReportIn()) == [
        "extra: sent, unknown to the gateway",
        "inner.b: loaded, not in the contract",
        "inner.a: required True in the contract, False in the gateway",
        "name: required True in the contract, False in the gateway",
    ]
