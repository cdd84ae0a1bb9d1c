"""next-step moves a whole class by writing the session's row only: its statements and the rows they write are the
same for 40 learners as for 2. A learner's current step still reads the same everywhere (their own view, the
instructor's participants, the dashboard's progress, students and step analysis): the session's step after a move,
their own after they move on by themselves, back to the session's at the next move, and their own for good once
they finish the lecture."""

import contextlib
import uuid

from sqlalchemy import event

from gateway.classroom import sessions_service


@contextlib.contextmanager
def written(engine):
    """The statements the engine runs inside the block, each with the rows it wrote (None for a read)."""
    seen: list[tuple[str, int | None]] = []

    def after(conn, cursor, statement, parameters, context, executemany):
        writes = statement.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")
        seen.append((statement, cursor.rowcount if writes else None))

    event.listen(engine, "after_cursor_execute", after)
    try:
        yield seen
    finally:
        event.remove(engine, "after_cursor_execute", after)


def test_next_step_writes_as_much_for_40_learners_as_for_2_and_no_participant_row(classroom, teacher, app):
    engine = app.extensions["gateway"].db.engine
    seen = {}
    for size in (2, 40):
        session = classroom.session(teacher, classroom.lecture(teacher, tasks=(4,)))
        for n in range(size):
            classroom.device(session, f"device-{n}")
        assert classroom.control(teacher, session, "start").status_code == 200
        with written(engine) as statements:
            view = sessions_service.control(
                app.extensions["gateway"].db.uow(), uuid.UUID(teacher.user["id"]), session["id"], "next-step"
            )
        assert view["current_step"]["id"] == session["steps"][1] and view["participant_count"] == size
        seen[size] = statements
        assert not [s for s, _ in statements if "session_participants" in s.split("WHERE")[0] and "UPDATE" in s]
        assert all(rows == 1 for _, rows in statements if rows is not None), statements
        followed = classroom.sql(
            "SELECT count(*) FROM session_participants WHERE session_id = %s AND own_step_id IS DISTINCT FROM %s",
            session["id"],
            session["steps"][1],
        )
        assert followed == [(size,)]  # nobody's row holds the new step: they all read it from the session
    assert len(seen[2]) == len(seen[40])
    assert [rows for _, rows in seen[2]] == [rows for _, rows in seen[40]]


def _everywhere(client, classroom, teacher, session, lecture_id, learners) -> dict[str, dict[str, str | None]]:
    """Each reader's answer to 'which step is this learner on', by device."""
    answers: dict[str, dict[str, str | None]] = {}
    answers["current"] = {
        device: (
            client.get(f"/api/sessions/{session['id']}/current", headers=who["headers"]).json["my_step"] or {}
        ).get("id")
        for device, who in learners.items()
    }
    listed = client.get(f"/api/sessions/{session['id']}/participants", headers=teacher.headers).json
    answers["participants"] = {
        p["device_id"]: p["current_subtask_id"] for p in listed["participants"] if p["device_id"] in learners
    }
    stats = client.get(f"/api/dashboard/sessions/{session['id']}/progress-stats", headers=teacher.headers).json
    answers["progress-stats"] = {
        p["device_id"]: (p["current_subtask"] or {}).get("id") for p in stats["progress_data"] if p["device_id"]
    }
    students = client.get(f"/api/dashboard/lectures/{lecture_id}/students", headers=teacher.headers).json
    answers["students"] = {
        s["device_id"]: (s["current_subtask"] or {}).get("id") for s in students["students"] if s["device_id"]
    }
    return answers


def _on_step_now(client, teacher, lecture_id) -> dict[str, int]:
    analysis = client.get(f"/api/dashboard/statistics/lecture/{lecture_id}/step-analysis", headers=teacher.headers)
    assert analysis.status_code == 200, analysis.json
    return {s["subtask_id"]: s["on_step_now"] for s in analysis.json["step_analysis"] if s["on_step_now"]}


def test_a_learners_step_reads_the_same_everywhere_through_moves_their_own_moves_and_finishing(
    classroom, teacher, client
):
    lecture = classroom.lecture(teacher, tasks=(3, 2))
    s = lecture["steps"]
    session = classroom.session(teacher, lecture)
    names = ("follows", "ahead", "finishes", "away", "back")
    learners = {name: classroom.device(session, name) for name in names}
    path = f"/api/sessions/{session['id']}"

    def progress(name, step):
        answer = client.post(f"{path}/progress", json={"subtask_id": step}, headers=learners[name]["headers"])
        assert answer.status_code == 200, answer.json

    def complete(name, step):
        answer = client.post(f"{path}/report-completion", json={"subtask_id": step}, headers=learners[name]["headers"])
        assert answer.status_code == 200, answer.json
        return answer.json

    def presence(name, connected):
        answer = client.post(f"{path}/presence", json={"connected": connected}, headers=learners[name]["headers"])
        assert answer.status_code == 200, answer.json

    def expect(steps: dict[str, str]):
        answers = _everywhere(client, classroom, teacher, session, lecture["id"], learners)
        assert answers == {reader: steps for reader in answers}
        here: dict[str, int] = {}  # the ACTIVE learners (not away, not finished) on each step
        for name, step in steps.items():
            if step is not None and name not in away | done:
                here[step] = here.get(step, 0) + 1
        assert _on_step_now(client, teacher, lecture["id"]) == here

    done: set[str] = set()
    away = {"away"}
    expect(dict.fromkeys(names))  # not started: nobody is on a step
    assert classroom.control(teacher, session, "start").status_code == 200
    presence("away", False)
    expect(dict.fromkeys(names, s[0]))

    progress("ahead", s[2])  # moves on alone
    progress("back", s[3])
    presence("back", False)
    presence("back", True)  # a learner back is put on the session's step
    expect(dict.fromkeys(names, s[0]) | {"ahead": s[2]})

    assert classroom.control(teacher, session, "next-step").status_code == 200
    expect(dict.fromkeys(names, s[1]))  # everyone follows, the one ahead too, the one away too

    progress("ahead", s[3])
    assert complete("finishes", s[1])["next_subtask"]["id"] == s[2]  # done with the step they are on: the next
    complete("finishes", s[0])  # an earlier one: stays
    expect(dict.fromkeys(names, s[1]) | {"ahead": s[3], "finishes": s[2]})

    assert classroom.control(teacher, session, "next-step", subtask_id=s[3]).status_code == 200
    expect(dict.fromkeys(names, s[3]))

    for step in (s[3], s[4], s[2]):  # the last one finishes the lecture on the step they are on (s[4])
        last = complete("finishes", step)
    assert last["my_status"] == "COMPLETED"
    done.add("finishes")
    expect(dict.fromkeys(names, s[3]) | {"finishes": s[4]})

    assert classroom.control(teacher, session, "next-step", subtask_id=s[1]).status_code == 200
    learners["late"] = classroom.device(session, "late")  # joins on the session's step
    expect(dict.fromkeys((*names, "late"), s[1]) | {"finishes": s[4]})  # a finished learner follows no more
    presence("away", True)
    away.clear()
    expect(dict.fromkeys((*names, "late"), s[1]) | {"finishes": s[4]})
