"""Study guides through a fake unit of work: one source, what the worker is sent, items in order, once."""

import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from fake_feedback import FakeResumeStore
from fake_interviews import FakePostingStore, FakeStudyGuideStore
from fake_reports import FakeReceiptStore
from fake_uow import FakeUnitOfWork

from gateway.careers import study_guides_service as guides
from gateway.careers.reports import record_careers_events
from gateway.careers.work_rules import CareersEventIn
from gateway.platform.errors import Conflict, InvalidInput, NotFound
from shared.messages.careers import BuildStudyGuide

OWNER, OTHER = uuid.uuid4(), uuid.uuid4()
PERSONAL = dict.fromkeys(("name", "email", "phone", "address", "gender", "military_service", "birth_date"))
SECTIONS = {name: [] for name in ("experiences", "educations", "projects", "activities", "qualifications")}


def resume(title: str) -> dict:
    return {"id": uuid.uuid4(), "owner_id": OWNER, "title": title, "resume_type": "1", **PERSONAL,
            "self_introduction": None, **SECTIONS, "technology_stacks": [{"id": 1, "name": "Python"}]}  # fmt: skip


OLD, NEW = resume("Old"), resume("New")
POSTING = SimpleNamespace(id=uuid.uuid4(), owner_id=OWNER, deleted=False, url=None, title="SRE", company="Acme",
                          qualification="Kubernetes, Terraform", prefer="Go", end_date=None)  # fmt: skip
CONTENTS = [SimpleNamespace(division="2", result="Add Kubernetes."), SimpleNamespace(division="3", result="Go.")]
FEEDBACK = SimpleNamespace(id=uuid.uuid4(), owner_id=OWNER, deleted_at=None, status="completed", matching_rate=55,
                           resume_id=OLD["id"], posting_id=POSTING.id, contents=CONTENTS)  # fmt: skip
RUNNING_FEEDBACK = SimpleNamespace(**{**vars(FEEDBACK), "id": uuid.uuid4(), "status": "processing"})
ITEMS = [
    {"title": "Kubernetes", "content": "Deployments.", "keywords": ["k8s"], "priority": "1", "estimated_hours": 10},
    {"title": "Go", "content": "Tour of Go.", "keywords": [], "priority": "3", "estimated_hours": 6},
]
RESULT = {"title": "SRE gaps", "description": "What the posting asks for.", "items": ITEMS}


@pytest.fixture
def store():
    return FakeStudyGuideStore([FEEDBACK, RUNNING_FEEDBACK], {OWNER: NEW["id"]})


@pytest.fixture
def uow(store):
    return FakeUnitOfWork(store, FakeResumeStore([OLD, NEW]), FakePostingStore([POSTING]), FakeReceiptStore())


def event(guide, kind: str, data: dict, minutes: int = 1) -> CareersEventIn:
    at = datetime(2026, 12, 1, tzinfo=UTC) + timedelta(minutes=minutes)
    return CareersEventIn(str(uuid.uuid4()), f"careers.{kind}", "study_guide", guide.id, 0, at, 1, data)


def completed(guide, result: dict = RESULT) -> CareersEventIn:
    return event(guide, "completed", {"result": result, "provider": "offline", "model": "m1"})


def report(uow, *events, webhook_id: str | None = None) -> list[str]:
    answer = record_careers_events(uow, webhook_id or str(uuid.uuid4()), list(events))
    return [result["result"] for result in answer["results"]]


def test_a_guide_from_a_feedback_sends_its_contents_with_its_resume_and_posting(uow, store):
    guide = guides.create_guide(uow, OWNER, feedback_id=FEEDBACK.id)
    assert (guide.status, guide.feedback_id, guide.posting_id) == ("queued", FEEDBACK.id, None)
    [command] = store.messages
    assert isinstance(command, BuildStudyGuide) and command.guide_id == str(guide.id)
    assert command.feedback == {
        "matching_rate": 55,
        "feedback_contents": [{"division": "2", "result": "Add Kubernetes."}, {"division": "3", "result": "Go."}],
    }
    assert (command.resume["title"], command.posting["company"]) == ("Old", "Acme")


def test_a_guide_from_a_posting_compares_your_newest_resume_unless_you_name_one(uow, store):
    guides.create_guide(uow, OWNER, posting_id=POSTING.id)
    guides.create_guide(uow, OWNER, posting_id=POSTING.id, resume_id=OLD["id"])
    assert [(m.resume["title"], m.posting["title"], m.feedback) for m in store.messages] == [
        ("New", "SRE", None),
        ("Old", "SRE", None),
    ]


@pytest.mark.parametrize(
    "ids, field",
    [({}, "feedback_id"), ({"feedback_id": FEEDBACK.id, "posting_id": POSTING.id}, "feedback_id"),
     ({"feedback_id": FEEDBACK.id, "resume_id": OLD["id"]}, "resume_id")],
)  # fmt: skip
def test_exactly_one_source_is_taken(uow, store, ids, field):
    with pytest.raises(InvalidInput) as refused:
        guides.create_guide(uow, OWNER, **ids)
    assert refused.value.field == field and store.guides == {} and store.messages == []


@pytest.mark.parametrize(
    "owner, ids",
    [(OTHER, {"feedback_id": FEEDBACK.id}), (OTHER, {"posting_id": POSTING.id}),
     (OWNER, {"feedback_id": uuid.uuid4()}), (OWNER, {"posting_id": POSTING.id, "resume_id": uuid.uuid4()})],
)  # fmt: skip
def test_unknown_or_other_users_sources_are_404s_and_nothing_is_recorded(uow, store, owner, ids):
    with pytest.raises(NotFound):
        guides.create_guide(uow, owner, **ids)
    assert store.guides == {} and store.messages == []


def test_a_feedback_still_running_is_a_conflict(uow, store):
    with pytest.raises(Conflict, match="not finished"):
        guides.create_guide(uow, OWNER, feedback_id=RUNNING_FEEDBACK.id)
    assert store.guides == {}


def test_a_completed_report_stores_the_items_in_order_once_and_tells_the_owner(uow, store):
    guide = guides.create_guide(uow, OWNER, posting_id=POSTING.id)
    assert report(uow, completed(guide), webhook_id="wh-1") == ["applied"]
    assert report(uow, completed(guide), webhook_id="wh-1") == ["applied"]  # replayed: the first answer
    assert report(uow, completed(guide), webhook_id="wh-2") == ["stale"]
    guide = guides.get_guide(uow, OWNER, str(guide.id))
    assert (guide.status, guide.title, guide.description) == ("completed", "SRE gaps", "What the posting asks for.")
    assert [(i.position, i.title, i.keywords, i.priority) for i in guide.items] == [
        (1, "Kubernetes", ["k8s"], "1"),
        (2, "Go", [], "3"),
    ]
    assert store.told == [(OWNER, "study_guide.completed", {"title": "SRE gaps"}, str(guide.id))]


def test_an_invalid_result_fails_the_guide_and_keeps_nothing(uow, store):
    guide = guides.create_guide(uow, OWNER, posting_id=POSTING.id)
    assert report(uow, completed(guide, {**RESULT, "items": []})) == ["invalid"]
    guide = store.guides[guide.id]
    assert (guide.status, guide.error_code, guide.items, guide.title) == ("failed", "invalid_output", [], None)
    assert [kind for _, kind, _, _ in store.told] == ["study_guide.failed"]


def test_a_deleted_guide_leaves_every_read_and_takes_no_report(uow, store):
    guide = guides.create_guide(uow, OWNER, posting_id=POSTING.id)
    with pytest.raises(NotFound):
        guides.delete_guide(uow, OTHER, str(guide.id))
    guides.delete_guide(uow, OWNER, str(guide.id))
    assert report(uow, completed(guide)) == ["stale"]
    assert guides.list_guides(uow, OWNER, 1, 20) == ([], 0) and store.told == []
    for use in (guides.get_guide, guides.delete_guide):
        with pytest.raises(NotFound):
            use(uow, OWNER, str(guide.id))


def test_failed_then_late_processing_stays_failed(uow, store):
    guide = guides.create_guide(uow, OWNER, posting_id=POSTING.id)
    assert report(uow, event(guide, "failed", {"reason": "quota"}, 2), event(guide, "processing", {}, 3)) == [
        "applied",
        "stale",
    ]
    assert store.guides[guide.id].status == "failed"
