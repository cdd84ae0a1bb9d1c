"""Résumé rules without a database: the code table, dates in order, the body's checks, the photo's checks, and
the photo use case through a fake unit of work and a fake object store."""

import io
import uuid
from datetime import date

import marshmallow as ma
import pytest
from fake_uow import FakeUnitOfWork
from PIL import Image

from gateway.careers import photos, resumes_service, rules
from gateway.careers.documents import checked_resume
from gateway.careers.resumes_schemas import ResumeBody
from gateway.careers.resumes_store import ResumeStore
from gateway.platform.errors import InvalidInput, NotFound
from gateway.studio import media

pytestmark = pytest.mark.unit


def image(fmt: str, size=(64, 64)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, fmt)
    return buffer.getvalue()


def test_the_code_table_has_every_division_the_line_uses_with_both_labels():
    assert set(rules.DIVISIONS) == {
        "feedback_division",
        "resume_type",
        "gender",
        "military_service",
        "degree",
        "study_priority",
        "interview_feedback",
    }
    for division, codes in rules.CODES.items():
        assert list(codes) == [str(n) for n in range(1, len(codes) + 1)], division
        assert all(label.ko and label.en for label in codes.values())
    assert rules.codes("feedback_division") == ("1", "2", "3", "4")
    assert rules.label("feedback_division", "2") == rules.Label("필수 수정사항", "Must fix")
    assert rules.label("gender", "9") is None and rules.label("nothing", "1") is None


@pytest.mark.parametrize(
    ("start", "end", "refused"),
    [
        (date(2020, 1, 1), date(2020, 1, 1), False),
        (date(2020, 1, 1), None, False),
        (date(2020, 1, 2), date(2020, 1, 1), True),
    ],
)
def test_an_end_date_never_comes_before_its_start(start, end, refused):
    assert (rules.dates_problem(start, end) is not None) is refused


def test_the_body_strips_the_title_takes_item_ids_and_drops_them():
    body = ResumeBody().load(
        {"title": "  Mine  ", "technology_stacks": [{"id": str(uuid.uuid4()), "name": "Go"}], "gender": None}
    )
    assert body["title"] == "Mine" and body["resume_type"] == rules.GENERAL_RESUME
    assert body["technology_stacks"] == [{"name": "Go"}] and body["gender"] is None


def test_the_body_names_every_broken_rule():
    with pytest.raises(ma.ValidationError) as refused:
        ResumeBody().load(
            {
                "title": "x" * 101,
                "military_service": "0",
                "educations": [{"organ": "A", "start_date": "2020-02-01", "end_date": "2020-01-01"}],
            }
        )
    messages = refused.value.messages
    assert set(messages) == {"title", "military_service", "educations"}
    assert "end_date" in messages["educations"][0]


def test_a_document_for_the_rewrite_flow_is_checked_by_the_same_rules():
    with pytest.raises(InvalidInput) as refused:
        checked_resume(
            {"title": "t", "projects": [{"title": "p", "start_date": "2021-01-01", "end_date": "2020-01-01"}]}
        )
    assert refused.value.field == "projects/0/end_date"


@pytest.mark.parametrize(("fmt", "extension"), [("PNG", "png"), ("JPEG", "jpg")])
def test_a_png_or_a_jpeg_is_taken_as_a_clean_copy(fmt, extension):
    info, clean = photos.checked_photo(photos.Upload("me.txt", io.BytesIO(image(fmt))))
    assert info.format == fmt and info.extension == extension
    assert Image.open(io.BytesIO(clean)).format == fmt


@pytest.mark.parametrize(
    "data",
    [
        b"hello, not an image",
        image("WEBP"),
        image("GIF"),
        image("PNG", (8, 8)),
        b"\x89PNG" + b"\0" * rules.PHOTO_MAX_BYTES,
    ],
    ids=["text", "webp", "gif", "too small", "too large"],
)
def test_anything_else_is_refused_on_the_photo_field(data):
    with pytest.raises(InvalidInput) as refused:
        photos.checked_photo(photos.Upload("me.png", io.BytesIO(data)))
    assert refused.value.field == "photo"


def test_a_photos_key_is_served_only_by_signed_url():
    class Store:
        def put(self, key, data, content_type):
            self.key = key

    key = photos.store_photo(Store(), uuid.uuid4(), photos.checked_photo(photos.Upload("a", io.BytesIO(image("PNG")))))
    assert media.media_kind(key) is not None
    assert media.is_public(None, key) is False  # never looked up: a résumé's photo is never public


class FakeResumes:
    port = ResumeStore

    def __init__(self, owner_id, resume_id):
        self.resumes = {resume_id: {"owner_id": owner_id, "photo_key": None}}

    def exists(self, owner_id, resume_id):
        return self.resumes.get(resume_id, {}).get("owner_id") == owner_id

    def photo_key(self, owner_id, resume_id):
        return self.resumes[resume_id].get("photo_key") if self.exists(owner_id, resume_id) else None

    def set_photo(self, owner_id, resume_id, key, now):
        if not self.exists(owner_id, resume_id):
            return False
        self.resumes[resume_id]["photo_key"] = key
        return True

    def read(self, owner_id, resume_id):
        return dict(self.resumes[resume_id]) if self.exists(owner_id, resume_id) else None


class FakeObjectStore:
    def __init__(self):
        self.objects = {}

    def put(self, key, data, content_type):
        self.objects[key] = (data, content_type)

    def delete(self, key):
        self.objects.pop(key, None)

    def url(self, key, expires=3600, public=False):
        return f"/media/{key}?signed={expires}"


def test_a_photo_is_stored_then_shown_by_a_signed_url():
    owner, resume_id, store = uuid.uuid4(), uuid.uuid4(), FakeObjectStore()
    uow = FakeUnitOfWork(FakeResumes(owner, resume_id))
    shown = resumes_service.set_photo(uow, store, owner, str(resume_id), photos.Upload("a", io.BytesIO(image("JPEG"))))
    (key,) = store.objects
    assert store.objects[key][1] == "image/jpeg" and shown["photo_url"] == f"/media/{key}?signed=3600"
    assert uow.commits == 1
    resumes_service.set_photo(uow, store, owner, str(resume_id), photos.Upload("b", io.BytesIO(image("PNG"))))
    assert list(store.objects) != [key] and len(store.objects) == 1  # the replaced photo left the store


@pytest.mark.parametrize("who", ["someone else", "a missing résumé", "not an id"])
def test_a_photo_for_a_resume_not_yours_stores_nothing(who):
    owner, resume_id, store = uuid.uuid4(), uuid.uuid4(), FakeObjectStore()
    uow = FakeUnitOfWork(FakeResumes(owner, resume_id))
    caller, target = {
        "someone else": (uuid.uuid4(), str(resume_id)),
        "a missing résumé": (owner, str(uuid.uuid4())),
        "not an id": (owner, "photo"),
    }[who]
    with pytest.raises(NotFound):
        resumes_service.set_photo(uow, store, caller, target, photos.Upload("a", io.BytesIO(image("PNG"))))
    assert store.objects == {} and uow.commits == 0


def test_a_refused_photo_stores_nothing_and_changes_nothing():
    owner, resume_id, store = uuid.uuid4(), uuid.uuid4(), FakeObjectStore()
    resumes = FakeResumes(owner, resume_id)
    uow = FakeUnitOfWork(resumes)
    with pytest.raises(InvalidInput):
        resumes_service.set_photo(uow, store, owner, str(resume_id), photos.Upload("a.png", io.BytesIO(b"text")))
    assert store.objects == {} and uow.commits == 0 and resumes.resumes[resume_id]["photo_key"] is None
