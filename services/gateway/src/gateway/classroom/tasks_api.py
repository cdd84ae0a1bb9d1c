"""/api/tasks: a lecture's tasks and their ordered steps (subtasks), changed by the lecture's instructor only."""

from flask import jsonify
from flask.views import MethodView

from gateway.accounts.guard import authenticated, principal
from gateway.classroom import tasks_service as tasks
from gateway.classroom.tasks_schemas import (
    StepCreateBody,
    StepPatch,
    StepsReplacedSchema,
    SubtaskSchema,
    TaskDetailSchema,
    TaskPatch,
)
from gateway.platform.blueprint import Blueprint
from gateway.platform.http import require_json_bodies
from gateway.platform.idempotency_api import IDEMPOTENCY_PARAMETER, idempotent

blp = Blueprint("tasks", __name__, url_prefix="/api/tasks", description="The classroom: tasks and their steps.")
require_json_bodies(blp)
NOT_YOURS = "No such {} in your lectures (another instructor's, a learner's attempt, or deleted)"
NOT_SEEN = "No such {} in a lecture you may see"
LIVE = "A session of the lecture is in progress, paused or in review: adding, moving, removing waits for its end"
BAD = "A field too long or of the wrong type, an unknown target_action, no field at all"
STEP_EXAMPLES = {
    "one step": {
        "value": {
            "title": "사진 버튼 누르기",
            "target_action": "CLICK",
            "target_element_hint": "입력창 왼쪽의 '+' 버튼",
            "guide_text": "입력창 왼쪽의 + 버튼을 누르고 '앨범'을 고르세요.",
            "voice_guide_text": "글자 쓰는 칸 왼쪽, 더하기 버튼을 눌러 주세요.",
            "target_package": "com.kakao.talk",
        }
    },
    "the whole list": {
        "value": {
            "subtasks": [
                {"id": "2f1c3f9e-8d0a-4f5e-9c1b-6a7d8e9f0a1b", "title": "채팅방 열기", "target_action": "CLICK"},
                {"title": "사진 고르기", "target_action": "CLICK", "guide_text": "보낼 사진을 한 번 누르세요."},
                {"title": "전송", "target_action": "CLICK", "target_text": "전송"},
            ]
        }
    },
}


@blp.route("/<id:task_id>")
class TaskById(MethodView):
    @authenticated(blp)
    @blp.response(200, TaskDetailSchema)
    @blp.alt_response(404, description=NOT_SEEN.format("task"))
    def get(self, task_id: str):
        """A task with its steps in order"""
        return tasks.get_task(blp.deps.db.uow(), principal().user_id, task_id)

    @authenticated(blp)
    @blp.arguments(TaskPatch())
    @blp.response(200, TaskDetailSchema)
    @blp.alt_response(404, description=NOT_YOURS.format("task"))
    @blp.alt_response(409, description=LIVE)
    @blp.alt_response(415, description="The body is not application/json")
    @blp.alt_response(422, description=BAD)
    def patch(self, changes, task_id: str):
        """Change your task's title or description, or move it (`order_index`) among the lecture's tasks"""
        return tasks.update_task(blp.deps.db.uow(), principal().user_id, task_id, changes)

    @authenticated(blp)
    @blp.response(204)
    @blp.alt_response(404, description=NOT_YOURS.format("task"))
    @blp.alt_response(409, description=LIVE)
    def delete(self, task_id: str):
        """Remove your task and its steps (the tasks after it move up)"""
        tasks.delete_task(blp.deps.db.uow(), principal().user_id, task_id)


@blp.route("/<id:task_id>/subtasks")
class TaskSubtasks(MethodView):
    @authenticated(blp)
    @idempotent(blp)
    @blp.arguments(StepCreateBody(), examples=STEP_EXAMPLES)
    @blp.doc(parameters=[IDEMPOTENCY_PARAMETER])
    @blp.response(201, SubtaskSchema, description="One step added", headers={"Location": {"description": "Its URL"}})
    @blp.alt_response(200, schema=StepsReplacedSchema, description="The whole list: the task's steps replaced")
    @blp.alt_response(404, description=NOT_YOURS.format("task"))
    @blp.alt_response(409, description=f"{LIVE}; or the task has 100 steps already")
    @blp.alt_response(415, description="The body is not application/json")
    @blp.alt_response(422, description=f"{BAD}; an `id` that is not one of this task's steps, or named twice")
    def post(self, body, task_id: str):
        """Add one step to your task, or replace its steps with a whole ordered list

        One step (`title`, ...) goes at `order_index` (default: last): 201.
        `subtasks` alone is the task's new list of steps, in order, in one
        transaction: an item with the `id` of one of the task's steps keeps
        that step (edited and moved: learners' progress and help requests on
        it stay), an item without `id` is a new step, and a step the list
        leaves out is removed; 200 with the counts. To append, list the
        current steps' ids first.
        """
        d = blp.deps
        if "subtasks" in body:
            replaced = tasks.replace_steps(d.db.uow(), principal().user_id, task_id, body["subtasks"])
            return jsonify(StepsReplacedSchema().dump(replaced))
        step = tasks.add_step(d.db.uow(), principal().user_id, task_id, body)
        return step, 201, {"Location": f"/api/tasks/subtasks/{step['id']}"}


@blp.route("/subtasks/<id:subtask_id>")
class SubtaskById(MethodView):
    @authenticated(blp)
    @blp.response(200, SubtaskSchema)
    @blp.alt_response(404, description=NOT_SEEN.format("step"))
    def get(self, subtask_id: str):
        """A step"""
        return tasks.get_step(blp.deps.db.uow(), principal().user_id, subtask_id)

    @authenticated(blp)
    @blp.arguments(StepPatch())
    @blp.response(200, SubtaskSchema)
    @blp.alt_response(404, description=NOT_YOURS.format("step"))
    @blp.alt_response(409, description=LIVE)
    @blp.alt_response(415, description="The body is not application/json")
    @blp.alt_response(422, description=BAD)
    def patch(self, changes, subtask_id: str):
        """Change your step's fields, or move it (`order_index`) within its task (the others shift)"""
        return tasks.update_step(blp.deps.db.uow(), principal().user_id, subtask_id, changes)

    @authenticated(blp)
    @blp.response(204)
    @blp.alt_response(404, description=NOT_YOURS.format("step"))
    @blp.alt_response(409, description=LIVE)
    def delete(self, subtask_id: str):
        """Remove your step (the steps after it move up)"""
        tasks.delete_step(blp.deps.db.uow(), principal().user_id, subtask_id)
