"""/api/lectures: instructors write lectures of tasks and steps; learners find them and enroll."""

from flask.views import MethodView

from gateway.accounts.guard import authenticated, has_role, principal
from gateway.classroom import lectures_service as lectures
from gateway.classroom import tasks_service as tasks
from gateway.classroom.lectures_schemas import (
    EnrollmentSchema,
    LectureBody,
    LectureDetailSchema,
    LectureListArgs,
    LecturePageSchema,
    LecturePatch,
)
from gateway.classroom.tasks_schemas import TaskBody, TaskDetailSchema, TaskListSchema
from gateway.platform.blueprint import Blueprint
from gateway.platform.http import require_json_bodies
from gateway.platform.idempotency_api import IDEMPOTENCY_PARAMETER, idempotent

blp = Blueprint("lectures", __name__, url_prefix="/api/lectures", description="The classroom: lectures.")
require_json_bodies(blp)
LOCATION = {"Location": {"description": "Its URL"}}
NOT_YOURS = "No such lecture among yours (another instructor's, a learner's attempt, or deleted)"
NOT_SEEN = "No such lecture you may see (inactive and not yours nor enrolled in, or deleted)"
LIVE = "A session of the lecture is in progress, paused or in review: its structure waits for the end"


@blp.route("")
class Lectures(MethodView):
    @authenticated(blp)
    @blp.arguments(LectureListArgs(), location="query")
    @blp.response(200, LecturePageSchema)
    def get(self, args):
        """Lectures: your own (an instructor's default), every active one, or the ones you enrolled in"""
        caller, page, size, view = principal(), args["page"], args["page_size"], args.get("view")
        instructor = view is None and has_role(blp.deps.db.uow(), caller, "instructor")
        items, total = lectures.list_lectures(blp.deps.db.uow(), caller.user_id, instructor, view, page, size)
        return {"items": items, "page": page, "page_size": size, "total": total, "pages": -(-total // size)}

    @authenticated(blp, role="instructor")
    @idempotent(blp)
    @blp.arguments(LectureBody())
    @blp.doc(parameters=[IDEMPOTENCY_PARAMETER])
    @blp.response(201, LectureDetailSchema, headers=LOCATION)
    @blp.alt_response(403, description="Only instructors write lectures (POST /api/users/me/upgrade-to-instructor)")
    @blp.alt_response(415, description="The body is not application/json")
    @blp.alt_response(422, description="A field missing, too long or of the wrong type; a URL that is not http(s)")
    def post(self, body):
        """Write a lecture (then add its tasks and steps)"""
        lecture = lectures.create_lecture(blp.deps.db.uow(), principal().user_id, body)
        return lecture, 201, {"Location": f"/api/lectures/{lecture['id']}"}


@blp.route("/<id:lecture_id>")
class LectureById(MethodView):
    @authenticated(blp)
    @blp.response(200, LectureDetailSchema)
    @blp.alt_response(404, description=NOT_SEEN)
    def get(self, lecture_id: str):
        """A lecture with all its tasks and their steps, in order (one database statement)"""
        return lectures.get_lecture(blp.deps.db.uow(), principal().user_id, lecture_id)

    @authenticated(blp)
    @blp.arguments(LecturePatch())
    @blp.response(200, LectureDetailSchema)
    @blp.alt_response(404, description=NOT_YOURS)
    @blp.alt_response(415, description="The body is not application/json")
    @blp.alt_response(422, description="No field, or one too long or of the wrong type")
    def patch(self, changes, lecture_id: str):
        """Change your lecture's title, description, thumbnail or `is_active`"""
        return lectures.update_lecture(blp.deps.db.uow(), principal().user_id, lecture_id, changes)

    @authenticated(blp)
    @blp.response(204)
    @blp.alt_response(404, description=NOT_YOURS)
    @blp.alt_response(409, description="One of its sessions has not ended")
    def delete(self, lecture_id: str):
        """Delete your lecture: it leaves every list and read (its sessions' records stay)"""
        lectures.delete_lecture(blp.deps.db.uow(), principal().user_id, lecture_id)


@blp.route("/<id:lecture_id>/enroll")
class Enroll(MethodView):
    @authenticated(blp)
    @blp.response(201, EnrollmentSchema, description="Enrolled now")
    @blp.alt_response(200, schema=EnrollmentSchema, description="Enrolled already: the first enrollment")
    @blp.alt_response(404, description=NOT_SEEN)
    @blp.alt_response(409, description="You teach this lecture")
    def post(self, lecture_id: str):
        """Enroll in a lecture (idempotent: again, the same enrollment)"""
        enrollment, created = lectures.enroll(blp.deps.db.uow(), principal().user_id, lecture_id)
        return enrollment, 201 if created else 200


@blp.route("/<id:lecture_id>/tasks")
class LectureTasks(MethodView):
    @authenticated(blp)
    @blp.response(200, TaskListSchema)
    @blp.alt_response(404, description=NOT_SEEN)
    def get(self, lecture_id: str):
        """A lecture's tasks in order, each with its steps"""
        found = lectures.get_lecture(blp.deps.db.uow(), principal().user_id, lecture_id)["tasks"]
        return {"items": found, "total": len(found)}

    @authenticated(blp)
    @idempotent(blp)
    @blp.arguments(TaskBody())
    @blp.doc(parameters=[IDEMPOTENCY_PARAMETER])
    @blp.response(201, TaskDetailSchema, headers=LOCATION)
    @blp.alt_response(404, description=NOT_YOURS)
    @blp.alt_response(409, description=f"{LIVE}; or the lecture has 100 tasks already")
    @blp.alt_response(415, description="The body is not application/json")
    @blp.alt_response(422, description="A field missing, too long or of the wrong type; an unknown target_action")
    def post(self, body, lecture_id: str):
        """Add a task to your lecture (at `order_index`, default last), with its steps if you list them"""
        task = tasks.create_task(blp.deps.db.uow(), principal().user_id, lecture_id, body)
        return task, 201, {"Location": f"/api/tasks/{task['id']}"}
