"""Request and response shapes of a lecture's tasks and their steps (the API calls a step a subtask)."""

import marshmallow as ma

from gateway.classroom import lectures_rules as rules
from gateway.classroom.models import TARGET_ACTIONS
from gateway.fastpaths.dump import FastDumpSchema
from gateway.platform.fields import COUNT, Line, Text

TITLE = ma.validate.Length(min=1, max=rules.TITLE_MAX)
ORDER_INDEX = {
    "description": "Where it goes, from 0 (first); past the end: last. The others move to keep the order dense",
    "example": 0,
}


STEP_TEXTS = {  # name -> (field, longest, example)
    "description": (Text, rules.DESCRIPTION_MAX, "사진을 보낼 대화방을 엽니다."),
    "target_element_hint": (Text, rules.HINT_MAX, "화면 아래쪽의 말풍선 모양 '채팅' 탭"),
    "guide_text": (Text, rules.GUIDE_MAX, "아래쪽 가운데에 있는 말풍선 모양의 '채팅' 버튼을 누르세요."),
    "voice_guide_text": (Text, rules.GUIDE_MAX, "화면 아래 가운데, 말풍선 버튼을 눌러 주세요."),
    "target_package": (Line, rules.NAME_MAX, "com.kakao.talk"),
    "target_view_id": (Line, rules.NAME_MAX, "com.kakao.talk:id/tab_chat"),
    "target_text": (Text, rules.HINT_MAX, "채팅"),
}


def _step_text(name: str, create: bool) -> ma.fields.Field:
    """A step's text field; `create`: absent means empty (the description) or none (the rest)."""
    kind, longest, example = STEP_TEXTS[name]
    options = {"load_default": "" if name == "description" else None} if create else {}
    nullable = name != "description"
    return kind(allow_none=nullable, validate=ma.validate.Length(max=longest), metadata={"example": example}, **options)


def _target_action(create: bool) -> Line:
    return Line(
        allow_none=True,
        validate=ma.validate.OneOf(TARGET_ACTIONS),
        metadata={"description": "What the learner does: " + ", ".join(TARGET_ACTIONS), "example": "CLICK"},
        **({"load_default": None} if create else {}),
    )


def _not_blank(data: dict, name: str = "title") -> None:
    if name in data:
        data[name] = data[name].strip()
        if not data[name]:
            raise ma.ValidationError("Must not be blank.", name)


class StepBody(ma.Schema):
    """A new step: a title, and what the learner does where, with the words that guide them."""

    title = Line(required=True, validate=TITLE, metadata={"example": "채팅방 열기"})
    description = _step_text("description", create=True)
    target_action = _target_action(create=True)
    target_element_hint = _step_text("target_element_hint", create=True)
    guide_text = _step_text("guide_text", create=True)
    voice_guide_text = _step_text("voice_guide_text", create=True)
    target_package = _step_text("target_package", create=True)
    target_view_id = _step_text("target_view_id", create=True)
    target_text = _step_text("target_text", create=True)

    @ma.post_load
    def _tidy(self, data, **_):
        _not_blank(data)
        return data


class StepItem(StepBody):
    """A step in a whole list: with the `id` of one of the task's steps it keeps that step."""

    id = ma.fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={"description": "One of this task's steps, kept (edited, moved); none: a new step"},
    )


class StepCreateBody(StepBody):
    """One step (`title`, ...), or the task's whole ordered list of steps (`subtasks` alone)."""

    title = Line(validate=TITLE, metadata={"description": "Required for one step", "example": "채팅방 열기"})
    order_index = ma.fields.Integer(strict=True, validate=COUNT, metadata=ORDER_INDEX)
    subtasks = ma.fields.List(
        ma.fields.Nested(StepItem),
        validate=ma.validate.Length(max=rules.MAX_STEPS),
        metadata={
            "description": f"The task's steps, in order (at most {rules.MAX_STEPS}): this list replaces them. An item "
            "with a step's `id` keeps that step, edited and moved (its progress and help requests stay attached); "
            "an item without one is a new step; a step no item names is removed. Each item is the whole step: a "
            "field left out takes its default"
        },
    )

    @ma.pre_load
    def _one_or_list(self, data, **_):
        if isinstance(data, dict) and "subtasks" in data and len(data) > 1:
            others = ", ".join(sorted(str(name)[:40] for name in data if name != "subtasks"))
            raise ma.ValidationError(f"Send one step, or `subtasks` alone (not with {others}).", "_schema")
        return data

    @ma.post_load
    def _tidy(self, data, **_):
        if "subtasks" in data:
            return {"subtasks": data["subtasks"]}
        if "title" not in data:
            raise ma.ValidationError("Missing data for required field.", "title")
        _not_blank(data)
        return data


class StepPatch(ma.Schema):
    """Any of a step's fields, and `order_index` to move it within its task."""

    title = Line(validate=TITLE, metadata={"example": "채팅방 열기"})
    description = _step_text("description", create=False)
    target_action = _target_action(create=False)
    target_element_hint = _step_text("target_element_hint", create=False)
    guide_text = _step_text("guide_text", create=False)
    voice_guide_text = _step_text("voice_guide_text", create=False)
    target_package = _step_text("target_package", create=False)
    target_view_id = _step_text("target_view_id", create=False)
    target_text = _step_text("target_text", create=False)
    order_index = ma.fields.Integer(strict=True, validate=COUNT, metadata=ORDER_INDEX)

    @ma.post_load
    def _tidy(self, data, **_):
        if not data:
            raise ma.ValidationError("Send at least one field to change.", "_schema")
        _not_blank(data)
        return data


class TaskBody(ma.Schema):
    title = Line(required=True, validate=TITLE, metadata={"example": "사진 보내기"})
    description = Text(
        load_default="",
        validate=ma.validate.Length(max=rules.DESCRIPTION_MAX),
        metadata={"example": "대화방에서 앨범의 사진을 골라 보냅니다."},
    )
    order_index = ma.fields.Integer(strict=True, validate=COUNT, metadata=ORDER_INDEX)
    subtasks = ma.fields.List(
        ma.fields.Nested(StepBody),
        load_default=list,
        validate=ma.validate.Length(max=rules.MAX_STEPS),
        metadata={"description": f"Its steps, in order (at most {rules.MAX_STEPS})"},
    )

    @ma.post_load
    def _tidy(self, data, **_):
        _not_blank(data)
        return data


class TaskPatch(ma.Schema):
    title = Line(validate=TITLE)
    description = Text(validate=ma.validate.Length(max=rules.DESCRIPTION_MAX))
    order_index = ma.fields.Integer(strict=True, validate=COUNT, metadata=ORDER_INDEX)

    @ma.post_load
    def _tidy(self, data, **_):
        if not data:
            raise ma.ValidationError("Send at least one field to change.", "_schema")
        _not_blank(data)
        return data


def _step_links(step: dict) -> dict:
    return {"self": f"/api/tasks/subtasks/{step['id']}", "task": f"/api/tasks/{step['task_id']}"}


class SubtaskSchema(FastDumpSchema):
    id = ma.fields.UUID()
    task_id = ma.fields.UUID()
    order_index = ma.fields.Integer(metadata={"description": "Its place in the task, from 0"})
    title = ma.fields.String(metadata={"example": "채팅방 열기"})
    description = ma.fields.String()
    target_action = ma.fields.String(allow_none=True, metadata={"enum": list(TARGET_ACTIONS), "example": "CLICK"})
    target_element_hint = ma.fields.String(allow_none=True, metadata={"example": "화면 아래쪽의 말풍선 모양 '채팅' 탭"})
    guide_text = ma.fields.String(allow_none=True, metadata={"example": "아래쪽 가운데의 '채팅' 버튼을 누르세요."})
    voice_guide_text = ma.fields.String(allow_none=True)
    target_package = ma.fields.String(allow_none=True, metadata={"example": "com.kakao.talk"})
    target_view_id = ma.fields.String(allow_none=True, metadata={"example": "com.kakao.talk:id/tab_chat"})
    target_text = ma.fields.String(allow_none=True, metadata={"example": "채팅"})
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    links = ma.fields.Function(_step_links)


def _task_links(task: dict) -> dict:
    return {"self": f"/api/tasks/{task['id']}", "lecture": f"/api/lectures/{task['lecture_id']}"}


class TaskSchema(FastDumpSchema):
    id = ma.fields.UUID()
    lecture_id = ma.fields.UUID()
    order_index = ma.fields.Integer(metadata={"description": "Its place in the lecture, from 0"})
    title = ma.fields.String(metadata={"example": "사진 보내기"})
    description = ma.fields.String()
    subtask_count = ma.fields.Function(lambda task: len(task["subtasks"]))
    subtasks = ma.fields.List(ma.fields.Nested(SubtaskSchema), metadata={"description": "Its steps, in order"})
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    links = ma.fields.Function(
        lambda task: {"self": f"/api/tasks/{task['id']}", "lecture": f"/api/lectures/{task['lecture_id']}"}
    )


class TaskDetailSchema(TaskSchema):
    lecture_title = ma.fields.String(metadata={"example": "카카오톡으로 사진 보내기"})


class TaskListSchema(FastDumpSchema):
    items = ma.fields.List(ma.fields.Nested(TaskSchema), metadata={"description": "The lecture's tasks, in order"})
    total = ma.fields.Integer()


class StepsReplacedSchema(FastDumpSchema):
    status = ma.fields.String(metadata={"example": "updated"})
    task_id = ma.fields.UUID()
    created_count = ma.fields.Integer()
    updated_count = ma.fields.Integer()
    deleted_count = ma.fields.Integer()
    subtasks = ma.fields.List(ma.fields.Nested(SubtaskSchema), metadata={"description": "The task's steps now"})
