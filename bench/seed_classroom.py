"""`make seed-classroom`: a classroom to try on the dev database (the one `make run` serves, DATABASE_URL).

An instructor and a learner with known demo passwords, two lectures teaching a smartphone app (Korean and English)
with their tasks and steps, the learner enrolled in both, and a live session of the Korean lecture WAITING for
learners, its code printed. Everything goes through the gateway's own use cases, so the rows obey the API's rules.
A second run changes nothing and prints the same: users, lectures and the waiting session are found, not made again.
"""

import argparse
import dataclasses
import uuid
from datetime import UTC, datetime

from bench.seed_classroom_lectures import LECTURES
from gateway.accounts import service as accounts
from gateway.classroom import lectures_service, sessions_rules, tasks_service
from gateway.classroom.lectures_store import LectureStore
from gateway.classroom.models import ClassSession
from gateway.classroom.sessions_store import SessionStore
from gateway.platform.db import Database, UnitOfWork
from gateway.settings import GatewaySettings

INSTRUCTOR = ("teacher_kim", "teacher.kim@example.com", "classroom-demo-teach")
LEARNER = ("learner_park", "learner.park@example.com", "classroom-demo-learn")
SESSION_TITLE = "오전 수업: 카카오톡으로 사진 보내기"


@dataclasses.dataclass
class Seeded:
    instructor_id: uuid.UUID
    learner_id: uuid.UUID
    lectures: dict[str, uuid.UUID]  # title -> id
    session_id: uuid.UUID
    code: str


def _user(uow: UnitOfWork, username: str, email: str, password: str) -> uuid.UUID:
    found = accounts.find_for_login(uow, username)
    return found.id if found is not None else accounts.signup(uow, email, username, password).id


def _lecture(uow: UnitOfWork, instructor_id: uuid.UUID, lecture: dict) -> uuid.UUID:
    """The instructor's lecture of that title, written with its tasks and steps unless it is there already."""
    with uow:
        mine, _ = uow.store(LectureStore).page("teaching", instructor_id, 1, 100)
    found = next((item["id"] for item in mine if item["title"] == lecture["title"]), None)
    if found is not None:
        return found
    fields = {"title": lecture["title"], "description": lecture["description"], "thumbnail_url": None}
    made = lectures_service.create_lecture(uow, instructor_id, {**fields, "is_active": True})
    for task in lecture["tasks"]:
        body = {"title": task["title"], "description": task.get("description", ""), "subtasks": task["subtasks"]}
        tasks_service.create_task(uow, instructor_id, made["id"], body)
    return made["id"]


def _waiting_session(uow: UnitOfWork, instructor_id: uuid.UUID, lecture_id: uuid.UUID) -> ClassSession:
    """The lecture's session still WAITING, or a new one under a fresh code."""
    with uow:
        store = uow.store(SessionStore)
        waiting = next(
            (s for s in store.instructor_active(instructor_id) if s.lecture_id == lecture_id and s.status == "WAITING"),
            None,
        )
        if waiting is not None:
            return waiting
        now = datetime.now(UTC)
        made = ClassSession(
            id=uuid.uuid4(),
            lecture_id=lecture_id,
            instructor_id=instructor_id,
            title=SESSION_TITLE,
            status="WAITING",
            event_seq=0,
            created_at=now,
            updated_at=now,
        )
        store.add(made, sessions_rules.codes())
        uow.commit()
        return made


def seed(database_url: str) -> Seeded:
    """Make (or find) the demo classroom; what it holds."""
    database = Database(database_url, pool_size=1)
    try:
        uow = database.uow
        instructor_id = _user(uow(), *INSTRUCTOR)
        accounts.grant_role(uow(), instructor_id, "instructor")
        learner_id = _user(uow(), *LEARNER)
        lectures = {lecture["title"]: _lecture(uow(), instructor_id, lecture) for lecture in LECTURES}
        for lecture_id in lectures.values():
            lectures_service.enroll(uow(), learner_id, str(lecture_id))
        waiting = _waiting_session(uow(), instructor_id, lectures[LECTURES[0]["title"]])
        return Seeded(instructor_id, learner_id, lectures, waiting.id, waiting.code)
    finally:
        database.dispose()


def report(seeded: Seeded, base_url: str) -> str:
    instructor, learner = INSTRUCTOR, LEARNER
    lines = [
        "The demo classroom (make seed-classroom; running it again changes nothing):",
        f"  instructor  {instructor[0]} / {instructor[2]}",
        f"  learner     {learner[0]} / {learner[2]}  (enrolled in both lectures)",
        *(f"  lecture     {ident}  {title}" for title, ident in seeded.lectures.items()),
        f"  session     {seeded.session_id}  WAITING, code {seeded.code}",
        "",
        "Try it:",
        f"  curl -s {base_url}/api/auth/login -H 'content-type: application/json' "
        f'-d \'{{"username": "{instructor[0]}", "password": "{instructor[2]}"}}\'',
        f'  curl -s {base_url}/api/lectures -H "Authorization: Bearer $TOKEN"',
        f'  curl -s {base_url}/api/lectures/{next(iter(seeded.lectures.values()))} -H "Authorization: Bearer $TOKEN"',
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://localhost:8000", help="where the printed examples point")
    args = parser.parse_args()
    settings = GatewaySettings()
    print(report(seed(settings.database_url), args.base_url.rstrip("/")))


if __name__ == "__main__":
    main()
