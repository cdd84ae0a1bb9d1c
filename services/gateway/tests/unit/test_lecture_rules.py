"""Lecture rules without a database: dense ordering (insert, move, remove, a whole new list), who sees a lecture,
the step schemas (one step or the whole list), and the task use cases through a fake unit of work: any sequence of
changes keeps the order dense, anyone else's change is a 404 and a refused change leaves everything as it was."""

import uuid

import marshmallow as ma
import pytest
from fake_classroom import FakeLectureStore, FakeTaskStore
from fake_uow import FakeUnitOfWork
from hypothesis import given, settings
from hypothesis import strategies as st

from gateway.classroom import lectures_rules as rules
from gateway.classroom import tasks_service
from gateway.classroom.tasks_schemas import StepCreateBody, StepPatch, TaskBody
from gateway.platform.errors import Conflict, InvalidInput, NotFound

pytestmark = pytest.mark.unit
IDS = [uuid.UUID(int=n) for n in range(1, 40)]
orders = st.integers(min_value=0, max_value=12).map(lambda n: IDS[:n])


@given(orders, st.one_of(st.none(), st.integers(min_value=0, max_value=50)))
def test_inserting_puts_the_item_where_asked_or_last(order, wanted):
    new = uuid.uuid4()
    result = rules.inserted(order, new, wanted)
    expected = len(order) if wanted is None else min(wanted, len(order))
    assert result.index(new) == expected and [i for i in result if i != new] == order


@given(orders.filter(bool), st.data())
def test_moving_keeps_everyone_else_in_order(order, data):
    item = data.draw(st.sampled_from(order))
    wanted = data.draw(st.integers(min_value=0, max_value=50))
    result = rules.moved(order, item, wanted)
    assert sorted(result) == sorted(order) and result.index(item) == min(wanted, len(order) - 1)
    assert [i for i in result if i != item] == [i for i in order if i != item]


@given(orders, st.data())
def test_only_changed_positions_are_written_and_applying_them_makes_the_order_dense(order, data):
    current = {ident: data.draw(st.integers(min_value=0, max_value=60)) for ident in order}  # any state, even broken
    new_order = data.draw(st.permutations(order))
    changes = rules.changed_positions(current, new_order)
    assert all(current[ident] != at for ident, at in changes.items())
    applied = {**current, **changes}
    assert sorted(applied.values()) == list(range(len(order))) and sorted(applied, key=applied.get) == list(new_order)


def test_a_removed_item_leaves_no_gap():
    current = dict(zip(IDS[:4], range(4), strict=True))
    changes = rules.changed_positions(current, rules.without(IDS[:4], IDS[1]))
    assert changes == {IDS[2]: 1, IDS[3]: 2}


def test_a_whole_list_keeps_named_steps_adds_new_ones_and_removes_the_rest():
    current = dict(zip(IDS[:3], range(3), strict=True))
    plan = rules.replacement(current, [{"id": IDS[2], "title": "c"}, {"id": None, "title": "new"}, {"id": IDS[0]}])
    assert plan.kept == [(IDS[2], 0, {"title": "c"}), (IDS[0], 2, {})]
    assert plan.added == [(1, {"title": "new"})] and plan.removed == [IDS[1]]
    assert plan.structural(current)
    same = rules.replacement(current, [{"id": ident, "title": "edited"} for ident in IDS[:3]])
    assert not same.structural(current) and same.removed == [] and same.added == []


@pytest.mark.parametrize("items", [[{"id": IDS[0]}, {"id": IDS[0]}], [{"id": IDS[9]}]])
def test_a_whole_list_names_each_of_the_tasks_steps_at_most_once(items):
    with pytest.raises(InvalidInput) as refused:
        rules.replacement(dict(zip(IDS[:3], range(3), strict=True)), items)
    assert refused.value.field.startswith("subtasks/")


def test_who_sees_a_lecture():
    owner, other = uuid.uuid4(), uuid.uuid4()
    assert rules.visible(owner, False, False, owner)
    assert rules.visible(owner, True, False, other)
    assert rules.visible(owner, False, True, other)
    assert not rules.visible(owner, False, False, other)
    assert rules.default_view(True) == "teaching" and rules.default_view(False) == "available"


def test_limits_and_live_sessions_are_conflicts():
    rules.check_room(99, 100, "steps", "task")
    with pytest.raises(Conflict):
        rules.check_room(100, 100, "steps", "task")
    rules.check_structure_open(0)
    with pytest.raises(Conflict):
        rules.check_structure_open(1)
    with pytest.raises(Conflict):
        rules.check_deletable(2)


@pytest.mark.parametrize("raw", ["x", "", "1", "a" * 100])
def test_an_id_that_is_no_uuid_is_a_404(raw):
    with pytest.raises(NotFound):
        rules.as_id(raw, "task")


def test_one_step_or_the_whole_list():
    schema = StepCreateBody()
    one = schema.load({"title": " 사진 고르기 ", "target_action": "CLICK", "order_index": 2})
    assert one["title"] == "사진 고르기" and one["order_index"] == 2 and one["guide_text"] is None
    many = schema.load({"subtasks": [{"title": "a"}, {"id": str(IDS[0]), "title": "b", "target_action": "WAIT"}]})
    assert set(many) == {"subtasks"} and many["subtasks"][1]["id"] == IDS[0]
    assert many["subtasks"][0]["id"] is None and many["subtasks"][0]["description"] == ""
    for bad in ({"title": "a", "subtasks": []}, {"guide_text": "no title"}, {"title": "a", "target_action": "TAP"}):
        with pytest.raises(ma.ValidationError):
            schema.load(bad)


def test_a_patch_changes_only_what_it_names():
    assert StepPatch().load({"guide_text": None}) == {"guide_text": None}
    for bad in ({}, {"title": "  "}, {"order_index": -1}, {"target_action": "click"}):
        with pytest.raises(ma.ValidationError):
            StepPatch().load(bad)
    assert TaskBody().load({"title": "과제"}) == {"title": "과제", "description": "", "subtasks": []}


class Classroom:
    """One instructor's lecture with one task, in fakes."""

    def __init__(self):
        self.instructor, self.lecture_id = uuid.uuid4(), uuid.uuid4()
        self.lectures, self.tasks = FakeLectureStore(), FakeTaskStore()
        self.lectures.owners[self.lecture_id] = self.tasks.owners[self.lecture_id] = self.instructor
        self.uow = FakeUnitOfWork(self.lectures, self.tasks)
        self.task_id = tasks_service.create_task(
            self.uow, self.instructor, str(self.lecture_id), {"title": "t", "description": ""}
        )["id"]

    def titles(self) -> list[str]:
        return [step["title"] for step in self.tasks.read_task(self.task_id, self.instructor)["subtasks"]]

    def positions(self) -> list[int]:
        return sorted(self.tasks.step_order(self.task_id).values())


changes = st.lists(
    st.tuples(st.sampled_from(["add", "move", "delete"]), st.integers(0, 8), st.integers(0, 8)), max_size=25
)


@settings(max_examples=60, deadline=None)
@given(changes)
def test_any_sequence_of_step_changes_keeps_the_order_dense_and_as_asked(sequence):
    room, expected = Classroom(), []
    for n, (kind, a, b) in enumerate(sequence):
        ids = [step["id"] for step in room.tasks.read_task(room.task_id, room.instructor)["subtasks"]]
        if kind == "add":
            step = {"title": f"s{n}", "order_index": a}
            tasks_service.add_step(room.uow, room.instructor, str(room.task_id), step)
            expected.insert(min(a, len(expected)), f"s{n}")
        elif ids and kind == "move":
            tasks_service.update_step(room.uow, room.instructor, str(ids[a % len(ids)]), {"order_index": b})
            expected.insert(min(b, len(expected) - 1), expected.pop(a % len(ids)))
        elif ids:
            tasks_service.delete_step(room.uow, room.instructor, str(ids[a % len(ids)]))
            expected.pop(a % len(ids))
        assert room.titles() == expected and room.positions() == list(range(len(expected)))


def test_anyone_elses_change_is_a_404_that_leaves_everything_as_it_was():
    room = Classroom()
    step = tasks_service.add_step(room.uow, room.instructor, str(room.task_id), {"title": "a"})
    before = (dict(room.tasks.tasks), dict(room.tasks.steps_by_id))
    stranger = uuid.uuid4()
    attempts = [
        lambda: tasks_service.create_task(room.uow, stranger, str(room.lecture_id), {"title": "x"}),
        lambda: tasks_service.update_task(room.uow, stranger, str(room.task_id), {"title": "x"}),
        lambda: tasks_service.delete_task(room.uow, stranger, str(room.task_id)),
        lambda: tasks_service.add_step(room.uow, stranger, str(room.task_id), {"title": "x"}),
        lambda: tasks_service.replace_steps(room.uow, stranger, str(room.task_id), []),
        lambda: tasks_service.update_step(room.uow, stranger, str(step["id"]), {"order_index": 0}),
        lambda: tasks_service.delete_step(room.uow, stranger, str(step["id"])),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound):
            attempt()
    assert (room.tasks.tasks, room.tasks.steps_by_id) == before


def test_while_a_session_is_live_the_structure_waits_and_the_texts_do_not():
    room = Classroom()
    step = tasks_service.add_step(room.uow, room.instructor, str(room.task_id), {"title": "a"})
    room.lectures.live.add(room.lecture_id)
    for attempt in (
        lambda: tasks_service.add_step(room.uow, room.instructor, str(room.task_id), {"title": "b"}),
        lambda: tasks_service.delete_step(room.uow, room.instructor, str(step["id"])),
        lambda: tasks_service.replace_steps(room.uow, room.instructor, str(room.task_id), []),
    ):
        with pytest.raises(Conflict):
            attempt()
    assert room.titles() == ["a"]
    tasks_service.update_step(room.uow, room.instructor, str(step["id"]), {"guide_text": "고침", "order_index": 0})
    assert room.tasks.read_step(step["id"], room.instructor)["guide_text"] == "고침"
