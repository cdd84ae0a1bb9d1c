"""The careers documents the other steps send the llm-worker: a live résumé or posting of its owner only, as the
contracts describe it, and a new résumé stored from such a document under the API's rules."""

import uuid

import pytest

from gateway.careers import documents
from gateway.platform.errors import InvalidInput

RESUME = {
    "title": "백엔드 개발자 이력서",
    "resume_type": "1",
    "name": "김하늘",
    "email": "sky@example.com",
    "phone": "010-1234-5678",
    "address": "서울",
    "gender": "2",
    "military_service": "6",
    "birth_date": "1995-04-01",
    "self_introduction": "Python and PostgreSQL.",
    "experiences": [
        {
            "job_title": "Backend engineer",
            "department": "Platform",
            "position": "Senior",
            "job_description": "Built the payments gateway.",
            "employment_status": False,
            "start_date": "2020-01-01",
            "end_date": "2023-12-31",
        }
    ],
    "educations": [
        {
            "organ": "Seoul National University",
            "department": "Computer science",
            "degree_level": "3",
            "score": "3.9/4.5",
            "start_date": "2014-03-01",
            "end_date": None,
        }
    ],
    "projects": [{"title": "Search", "description": None, "start_date": "2022-01-01", "end_date": "2022-06-30"}],
    "activities": [{"title": "Meetup", "description": "Talks", "start_date": "2019-01-01", "end_date": None}],
    "qualifications": [{"title": "정보처리기사", "acquisition_date": "2018-08-01", "score": None, "organ": "HRDK"}],
    "technology_stacks": [{"name": "Python"}, {"name": "PostgreSQL"}],
}


@pytest.fixture
def uow(app):
    return app.extensions["gateway"].db.uow


def _user_id(who) -> uuid.UUID:
    return uuid.UUID(who.user["id"])


def test_a_stored_document_reads_back_the_same(uow, alice):
    work = uow()
    with work:
        resume_id = documents.add_resume_document(work, _user_id(alice), RESUME)
        work.commit()
    work = uow()
    with work:
        assert documents.resume_document(work, _user_id(alice), resume_id) == RESUME
        assert documents.resume_document(work, _user_id(alice), str(resume_id)) == RESUME


def test_someone_elses_a_missing_or_malformed_id_is_none(uow, alice, bob):
    work = uow()
    with work:
        resume_id = documents.add_resume_document(work, _user_id(alice), RESUME)
        work.commit()
    work = uow()
    with work:
        assert documents.resume_document(work, _user_id(bob), resume_id) is None
        assert documents.resume_document(work, _user_id(alice), uuid.uuid4()) is None
        assert documents.resume_document(work, _user_id(alice), "not-an-id") is None
        assert documents.posting_document(work, _user_id(alice), uuid.uuid4()) is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "x" * 101}, "title"),
        ({"gender": "9"}, "gender"),
        ({"experiences": [{**RESUME["experiences"][0], "end_date": "2019-01-01"}]}, "experiences/0/end_date"),
        ({"educations": [{**RESUME["educations"][0], "degree_level": "7"}]}, "educations/0/degree_level"),
    ],
)
def test_a_document_that_breaks_a_rule_is_refused_and_stores_nothing(uow, alice, change, field):
    work = uow()
    with work:
        with pytest.raises(InvalidInput) as refused:
            documents.add_resume_document(work, _user_id(alice), {**RESUME, **change})
        assert refused.value.field == field
