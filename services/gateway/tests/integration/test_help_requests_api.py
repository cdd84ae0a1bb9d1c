"""Help requests: asked by a session's learner (by token or signed in) or an enrolled learner about a lecture, each
starting its analysis in the same transaction; read by the requester or the instructor; resolved by the
instructor; rated by the requester; the instructor's pending list. Anything else is a problem that stores nothing."""

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from help_kit import HELP_RESULT, Reports, activity, completed, report


@pytest.fixture
def reports(client, webhook_secret, database_url):
    return Reports(client, webhook_secret, database_url)


@pytest.fixture
def started(classroom, teacher):
    """A started session (on its first step) and a learner who joined it by code."""
    session = classroom.session(teacher)
    assert classroom.control(teacher, session, "start").status_code == 200
    return session, classroom.device(session)


def ask(client, learner_headers, **body):
    return client.post("/api/help/request", json=body, headers=learner_headers)


def test_a_learner_asks_and_the_analysis_starts_in_the_same_transaction(client, classroom, reports, started):
    session, learner = started
    step = session["steps"][1]
    body = {"subtask_id": step, "context": {"recent_activity": activity(3), "error_message": "앱이 멈췄어요"}}
    response = ask(client, learner["headers"], **body)
    assert response.status_code == 201, response.json
    asked = response.json
    assert response.headers["Location"] == f"/api/help/request/{asked['id']}"
    assert (asked["status"], asked["analysis_status"], asked["analysis"]) == ("PENDING", "queued", None)
    assert (asked["session_id"], asked["subtask_id"], asked["participant_id"]) == (
        session["id"], step, learner["participant_id"],
    )  # fmt: skip
    assert (asked["display_name"], asked["subtask_title"]) == ("김영희", "단계 1-2")
    [command] = reports.command("AnalyzeHelpRequest", "help_request_id", asked["id"])
    assert command["step"]["target_action"] == "CLICK" and command["step"]["guide_text"] == "버튼 2을 누르세요"
    assert [e["element"] for e in command["context"]["recent_activity"]] == ["검색"] * 3
    assert command["context"]["error_message"] == "앱이 멈췄어요"
    [event] = [e for e in classroom.events(session["id"]) if e["type"] == "help_requested"]
    assert event["routing_key"] == "classroom.help_requested"
    assert event["data"]["help_request_id"] == asked["id"] and event["data"]["subtask_id"] == step
    help_count = "SELECT help_count FROM step_progress WHERE participant_id = %s AND step_id = %s"
    assert reports.one(help_count, learner["participant_id"], step) == (1,)
    assert ask(client, learner["headers"], **body).status_code == 201
    assert reports.one(help_count, learner["participant_id"], step) == (2,)


def test_a_retry_with_the_same_idempotency_key_asks_once_with_a_participant_token_too(
    client, classroom, reports, started, alice
):
    """A phone on a flaky network retries: one help request, one analysis, one event; the first answer replayed."""
    session, learner = started
    step = session["steps"][0]
    body = {"subtask_id": step, "context": {"error_message": "화면이 안 바뀌어요"}}
    retry = {**learner["headers"], "Idempotency-Key": '"help-1"'}
    first = client.post("/api/help/request", json=body, headers=retry)
    again = client.post("/api/help/request", json=body, headers=retry)
    assert first.status_code == again.status_code == 201
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == first.headers["Location"]
    assert len(reports.command("AnalyzeHelpRequest", "help_request_id", first.json["id"])) == 1
    assert len([e for e in classroom.events(session["id"]) if e["type"] == "help_requested"]) == 1
    other = client.post("/api/help/request", json={**body, "context": {"error_message": "다른 문제"}}, headers=retry)
    assert other.status_code == 422 and other.content_type == "application/problem+json"
    second = classroom.device(session, name="이철수")  # the same key is another caller's own
    theirs = client.post("/api/help/request", json=body, headers={**second["headers"], "Idempotency-Key": '"help-1"'})
    assert theirs.status_code == 201 and theirs.json["id"] != first.json["id"]
    count = "SELECT count(*) FROM help_requests WHERE session_id = %s"
    assert reports.one(count, session["id"]) == (2,)


def test_without_a_step_the_learner_is_on_the_sessions_current_one(client, reports, started):
    session, learner = started
    asked = ask(client, learner["headers"]).json
    assert asked["subtask_id"] == session["steps"][0]
    [command] = reports.command("AnalyzeHelpRequest", "help_request_id", asked["id"])
    assert command["step"]["title"] == "단계 1-1" and command["context"]["recent_activity"] == []


def test_left_out_the_recent_activity_comes_from_the_activity_log(client, reports, started):
    session, learner = started
    for i, element in enumerate(["홈", "설정", "설정"]):
        reports.sql(
            "INSERT INTO activity_logs (event_id, session_id, participant_id, event_type, occurred_at, received_at, "
            "screen, element) VALUES (%s, %s, %s, 'VIEW_CLICKED', now() - make_interval(secs => %s), now(), "
            "'홈', %s)",
            uuid.uuid4(), session["id"], learner["participant_id"], 30 - i, element,
        )  # fmt: skip
    asked = ask(client, learner["headers"]).json
    [command] = reports.command("AnalyzeHelpRequest", "help_request_id", asked["id"])
    assert [e["element"] for e in command["context"]["recent_activity"]] == ["홈", "설정", "설정"]


def test_a_signed_in_learner_asks_in_a_session_they_joined_or_about_a_lecture_they_are_enrolled_in(
    client, classroom, reports, teacher, accounts
):
    session = classroom.session(teacher)
    classroom.control(teacher, session, "start")
    kim = accounts.new()
    assert client.post(f"/api/sessions/{session['id']}/join", json={}, headers=kim.headers).status_code == 201
    in_session = ask(client, kim.headers, session_id=session["id"])
    assert in_session.status_code == 201 and in_session.json["participant_id"] is not None
    lecture = session["lecture"]["id"] if "lecture" in session else session["lecture_id"]
    not_enrolled = ask(client, kim.headers, lecture_id=lecture, subtask_id=session["steps"][2])
    assert not_enrolled.status_code == 404 and not_enrolled.content_type == "application/problem+json"
    assert client.post(f"/api/lectures/{lecture}/enroll", headers=kim.headers).status_code in (200, 201)
    about_lecture = ask(client, kim.headers, lecture_id=lecture, subtask_id=session["steps"][2])
    assert about_lecture.status_code == 201, about_lecture.json
    assert (about_lecture.json["session_id"], about_lecture.json["participant_id"]) == (None, None)
    helped = [e for e in classroom.events(session["id"]) if e["type"] == "help_requested"]
    assert len(helped) == 1, "a request about a lecture is no session's event"


@pytest.mark.parametrize(
    ("body", "status", "pointer"),
    [
        ({"subtask_id": str(uuid.uuid4())}, 422, "/subtask_id"),
        ({"lecture_id": str(uuid.uuid4())}, 422, "/lecture_id"),
        ({"request_type": "URGENT"}, 422, "/request_type"),
        ({"subtask_id": "not-a-uuid"}, 422, "/subtask_id"),
        ({"context": {"recent_activity": [{"event_type": "CLICK"}] * 51}}, 422, "/context/recent_activity"),
        ({"context": {"recent_activity": [{"occurred_at": "2026-03-01T09:00:00Z"}]}}, 422, None),
        ({"context": {"recent_activity": [{"event_type": "CLICK", "x": "12"}]}}, 422, None),
        ({"context": {"error_message": "x" * 2001}}, 422, "/context/error_message"),
        ({"context": {"screenshot_id": str(uuid.uuid4())}}, 422, "/context/screenshot_id"),
        ({"unknown": 1}, 422, "/unknown"),
    ],
)
def test_bad_input_is_a_problem_that_stores_nothing(client, reports, started, body, status, pointer):
    _, learner = started
    before = reports.counts()
    response = ask(client, learner["headers"], **body)
    assert response.status_code == status, response.json
    assert response.content_type == "application/problem+json"
    if pointer is not None:
        assert pointer in [error["pointer"] for error in response.json.get("errors", [])], response.json
    assert reports.counts() == before


def test_a_step_of_another_lecture_is_refused(client, classroom, reports, teacher, started):
    _, learner = started
    other = classroom.lecture(teacher)
    before = reports.counts()
    response = ask(client, learner["headers"], subtask_id=other["steps"][0])
    assert response.status_code == 422 and "not a step" in response.json["detail"]
    assert reports.counts() == before


def test_another_session_an_ended_one_and_no_session_at_all_are_refused(
    client, classroom, reports, teacher, started, alice
):
    session, learner = started
    other = classroom.session(teacher)
    before = reports.counts()
    assert ask(client, learner["headers"], session_id=other["id"]).status_code == 401  # the token is for its session
    assert ask(client, alice.headers, session_id=session["id"]).status_code == 404  # never joined
    assert ask(client, alice.headers).status_code == 422  # a signed-in learner names a session or a lecture
    assert ask(client, {}).status_code == 401
    assert classroom.control(teacher, session, "end").status_code == 200
    after_end = reports.counts()
    ended = ask(client, learner["headers"])
    assert ended.status_code == 409 and "ENDED" in ended.json["detail"]
    assert reports.counts() == after_end
    assert {k: v for k, v in before.items() if k != "outbox"} == {
        k: v for k, v in after_end.items() if k != "outbox"
    }, "only the session's end was written"


def test_the_requester_and_the_instructor_read_it_no_one_else(client, classroom, teacher, started, alice):
    session, learner = started
    asked = ask(client, learner["headers"]).json
    path = f"/api/help/request/{asked['id']}"
    assert client.get(path, headers=learner["headers"]).json["id"] == asked["id"]
    assert client.get(path, headers=teacher.headers).json["display_name"] == "김영희"
    other_learner = classroom.device(session, name="박철수")
    other_teacher = classroom.instructor()
    for headers in (other_learner["headers"], alice.headers, other_teacher.headers):
        response = client.get(path, headers=headers)
        assert response.status_code == 404 and response.content_type == "application/problem+json"
    assert client.get(path).status_code == 401
    assert client.get(f"/api/help/request/{uuid.uuid4()}", headers=teacher.headers).status_code == 404
    assert client.get("/api/help/request/12", headers=teacher.headers).status_code == 404


def test_the_instructor_resolves_once_and_the_session_hears_it(client, classroom, reports, teacher, started, alice):
    session, learner = started
    asked = ask(client, learner["headers"]).json
    path = f"/api/help/request/{asked['id']}/resolve"
    for headers, status in ((alice.headers, 404), (learner["headers"], 401), ({}, 401)):
        assert client.post(path, headers=headers).status_code == status
    resolved = client.post(path, headers=teacher.headers)
    assert resolved.status_code == 200 and resolved.json["status"] == "RESOLVED" and resolved.json["resolved_at"]
    again = client.post(path, headers=teacher.headers)
    assert again.status_code == 409 and again.content_type == "application/problem+json"
    [event] = [e for e in classroom.events(session["id"]) if e["type"] == "help_resolved"]
    assert event["data"]["help_request_id"] == asked["id"] and event["data"]["by"] == "instructor"


def test_a_signed_in_requester_hears_the_resolution(client, classroom, reports, teacher, accounts):
    session = classroom.session(teacher)
    classroom.control(teacher, session, "start")
    kim = accounts.new()
    client.post(f"/api/sessions/{session['id']}/join", json={}, headers=kim.headers)
    asked = ask(client, kim.headers, session_id=session["id"]).json
    client.post(f"/api/help/request/{asked['id']}/resolve", headers=teacher.headers)
    [told] = reports.notifications(kim.user["id"], "help_request.resolved")
    assert "단계 1-1" in told["body"]


def test_the_analysis_report_lands_forward_only_and_the_requester_hears_it_once(
    client, classroom, reports, teacher, accounts
):
    session = classroom.session(teacher)
    classroom.control(teacher, session, "start")
    kim = accounts.new()
    client.post(f"/api/sessions/{session['id']}/join", json={}, headers=kim.headers)
    help_id = ask(client, kim.headers, session_id=session["id"]).json["id"]
    path = f"/api/help/request/{help_id}"
    processing = report("help_analysis", help_id, "processing", worker="w")
    assert reports.post([processing]).json["results"][0]["result"] == "applied"
    read = client.get(path, headers=kim.headers).json
    assert (read["status"], read["analysis_status"]) == ("ANALYZING", "processing")
    done = reports.post([completed("help_analysis", help_id, HELP_RESULT, offset=1)], webhook_id="msg_help_1")
    assert done.status_code == 200 and done.json["results"][0]["result"] == "applied"
    replay = reports.post([completed("help_analysis", help_id, HELP_RESULT, offset=1)], webhook_id="msg_help_1")
    assert replay.json["replayed"] is True
    late = reports.post([report("help_analysis", help_id, "retrying", offset=-5, reason="slow", code="timeout")])
    assert late.json["results"][0]["result"] == "stale"
    read = client.get(path, headers=kim.headers).json
    assert (read["status"], read["analysis_status"], read["analysis"]) == ("ANALYZING", "completed", HELP_RESULT)
    assert len(reports.notifications(kim.user["id"], "help_request.completed")) == 1
    [event] = [e for e in classroom.events(session["id"]) if e["type"] == "help_analyzed"]
    assert event["data"] == {
        "help_request_id": help_id, "participant_id": read["participant_id"], "analysis_status": "completed",
        "confidence_score": 72, "estimated_difficulty": "EASY",
    }  # fmt: skip
    pending = client.get("/api/dashboard/help-requests/pending", headers=teacher.headers).json
    assert [item["id"] for item in pending["items"]] == [help_id], "analysed is not resolved"


def test_an_unusable_result_fails_the_analysis_with_invalid_output(client, reports, started):
    _, learner = started
    help_id = ask(client, learner["headers"]).json["id"]
    broken = {**HELP_RESULT, "confidence_score": 140, "estimated_difficulty": "TRIVIAL"}
    answer = reports.post([completed("help_analysis", help_id, broken)])
    assert answer.json["results"][0]["result"] == "invalid"
    read = client.get(f"/api/help/request/{help_id}", headers=learner["headers"]).json
    assert read["analysis_status"] == "failed" and read["analysis"] is None
    assert read["error"]["code"] == "invalid_output" and "confidence_score" in read["error"]["reason"]
    assert reports.post([completed("help_analysis", help_id, HELP_RESULT)]).json["results"][0]["result"] == "stale"


def test_reports_unknown_unsigned_or_malformed_change_nothing(client, reports, started):
    _, learner = started
    help_id = ask(client, learner["headers"]).json["id"]
    unknown = reports.post([completed("help_analysis", str(uuid.uuid4()), HELP_RESULT)])
    assert unknown.status_code == 200 and unknown.json["results"][0]["result"] == "not_found"
    before = reports.counts()
    from shared.webhooks import WebhookSigner, generate_secret

    forged = reports.post([completed("help_analysis", help_id, HELP_RESULT)], signer=WebhookSigner(generate_secret()))
    assert forged.status_code == 401 and forged.content_type == "application/problem+json"
    for bad in (
        {**completed("help_analysis", help_id, HELP_RESULT), "task": "feedback"},
        {**completed("help_analysis", help_id, HELP_RESULT), "type": "careers.completed"},
        {**report("help_analysis", help_id, "completed"), "data": {"provider": "x"}},
        {**completed("help_analysis", help_id, HELP_RESULT), "occurred_at": "2026-03-01T09:30:00"},
    ):
        assert reports.post([bad]).status_code == 422
    assert reports.counts() == before
    assert client.get(f"/api/help/request/{help_id}", headers=learner["headers"]).json["analysis_status"] == "queued"


def test_the_requester_rates_the_help_once(client, reports, started, teacher):
    _, learner = started
    help_id = ask(client, learner["headers"]).json["id"]
    rate = {"help_request_id": help_id, "rating": 5, "text": "덕분에 찾았어요"}
    early = client.post("/api/help/feedback", json=rate, headers=learner["headers"])
    assert early.status_code == 409 and "nothing to rate yet" in early.json["detail"]
    reports.post([completed("help_analysis", help_id, HELP_RESULT)])
    for bad in ({**rate, "rating": 6}, {**rate, "rating": 0}, {**rate, "rating": "5"}, {**rate, "rating": 4.5},
                {"rating": 5}, {**rate, "text": "x" * 2001}, {**rate, "help_request_id": "nope"}):  # fmt: skip
        response = client.post("/api/help/feedback", json=bad, headers=learner["headers"])
        assert response.status_code == 422 and response.content_type == "application/problem+json", bad
    for headers in (teacher.headers, {}):
        assert client.post("/api/help/feedback", json=rate, headers=headers).status_code in (401, 404)
    given = client.post("/api/help/feedback", json=rate, headers=learner["headers"])
    assert given.status_code == 200 and given.json["rating"] == 5 and given.json["text"] == "덕분에 찾았어요"
    again = client.post("/api/help/feedback", json={**rate, "rating": 1}, headers=learner["headers"])
    assert again.status_code == 409
    read = client.get(f"/api/help/request/{help_id}", headers=learner["headers"]).json
    assert read["feedback"]["rating"] == 5
    stored = reports.one("SELECT feedback_rating FROM help_requests WHERE id = %s", help_id)
    assert stored == (5,)


def test_the_pending_list_is_the_instructors_own_oldest_first(client, classroom, teacher, started):
    session, learner = started
    other_session = classroom.session(teacher)
    classroom.control(teacher, other_session, "start")
    other_learner = classroom.device(other_session, name="박철수")
    first = ask(client, learner["headers"]).json["id"]
    second = ask(client, other_learner["headers"]).json["id"]
    third = ask(client, learner["headers"]).json["id"]
    pending = client.get("/api/dashboard/help-requests/pending", headers=teacher.headers).json
    assert [item["id"] for item in pending["items"]] == [first, second, third] and pending["total"] == 3
    assert pending["items"][0]["lecture_title"] == "스마트폰 기초"
    one_session = client.get(
        f"/api/dashboard/help-requests/pending?session_id={session['id']}&page_size=1", headers=teacher.headers
    ).json
    assert [item["id"] for item in one_session["items"]] == [first] and one_session["pages"] == 2
    client.post(f"/api/help/request/{first}/resolve", headers=teacher.headers)
    left = client.get("/api/dashboard/help-requests/pending", headers=teacher.headers).json
    assert [item["id"] for item in left["items"]] == [second, third]
    stranger = classroom.instructor()
    assert client.get("/api/dashboard/help-requests/pending", headers=stranger.headers).json["total"] == 0
    assert client.get("/api/dashboard/help-requests/pending", headers=learner["headers"]).status_code == 401
    bad = client.get("/api/dashboard/help-requests/pending?session_id=x", headers=teacher.headers)
    assert bad.status_code == 422


def test_help_requests_and_completions_at_once_are_taken_and_numbered_without_gaps(app, classroom, reports, started):
    session, learner = started
    step = session["steps"][0]

    def help_request(_):
        return app.test_client().post("/api/help/request", json={"subtask_id": step}, headers=learner["headers"])

    def completion(_):
        path = f"/api/sessions/{session['id']}/report-completion"
        return app.test_client().post(path, json={"subtask_id": step}, headers=learner["headers"])

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda i: (help_request if i % 2 else completion)(i), range(12)))
    assert sorted(a.status_code for a in answers) == [200] * 6 + [201] * 6, [
        a.json for a in answers if a.status_code >= 500
    ]
    count = "SELECT help_count FROM step_progress WHERE participant_id = %s AND step_id = %s"
    assert reports.one(count, learner["participant_id"], step) == (6,)
    seqs = [event["seq"] for event in classroom.events(session["id"])]
    assert seqs == list(range(1, len(seqs) + 1))
