"""Mock interviews: each step a 202 and a RunInterviewStep, finished by signed worker reports applied to the
current step only (older steps stale, replays answered once), the conversation kept in order, its owner alone."""

import threading

import pytest
from feedback_kit import Careers, report

ANSWER = "I moved billing behind a queue; checkout errors fell by 40%."
VERDICT = {
    "total_score": 74,
    "scores": [{"competence": "ownership", "score": 80}, {"competence": "communication", "score": 68}],
    "overall": "Concrete and honest; practise shorter answers.",
}


def question(text: str, competence: str = "ownership") -> dict:
    return {"competence": competence, "question": text}


@pytest.fixture
def careers(client, webhook_secret, database_url):
    return Careers(client, webhook_secret, database_url.replace("+psycopg", ""))


class Interviews:
    """One user's interviews through the API, and the worker's signed reports on them."""

    def __init__(self, client, careers: Careers, who):
        self.client, self.careers, self.who = client, careers, who

    def start(self, with_posting: bool = True) -> dict:
        body = {"resume_id": self.careers.resume(self.who)}
        if with_posting:
            body["posting_id"] = self.careers.posting(self.who)
        answer = self.client.post("/api/interviews", json=body, headers=self.who.headers)
        assert answer.status_code == 202, answer.json
        return answer.json

    def get(self, interview_id: str) -> dict:
        answer = self.client.get(f"/api/interviews/{interview_id}", headers=self.who.headers)
        assert answer.status_code == 200, answer.json
        return answer.json

    def answer(self, interview_id: str, question_id: str, text: str = ANSWER):
        body = {"question_id": question_id, "answer": text}
        return self.client.post(f"/api/interviews/{interview_id}/answers", json=body, headers=self.who.headers)

    def finish(self, interview_id: str):
        return self.client.post(f"/api/interviews/{interview_id}/finish", headers=self.who.headers)

    def done(self, interview: dict, result: dict, step: int | None = None, offset: float = 0, webhook_id=None):
        """Post the worker's completed report on the interview's current step (or `step`); the results."""
        event = report("interview", interview["id"], "completed", offset, result=result, provider="offline", model="m")
        event["step"] = interview["step"] if step is None else step
        answer = self.careers.post([event], webhook_id)
        assert answer.status_code == 200, answer.json
        return answer.json

    def opened(self) -> dict:
        interview = self.start()
        self.done(interview, {"question": question("Tell me about an outage you handled.")})
        return self.get(interview["id"])

    def command(self, interview_id: str, step: int) -> dict:
        query = "SELECT payload FROM outbox WHERE message_type = 'RunInterviewStep' AND payload->>'interview_id' = %s "
        return self.careers.one(query + "AND (payload->>'step')::int = %s", interview_id, step)[0]

    def commands(self, interview_id: str) -> int:
        query = "SELECT count(*) FROM outbox WHERE message_type = 'RunInterviewStep' AND payload->>'interview_id' = %s"
        return self.careers.one(query, interview_id)[0]


@pytest.fixture
def mine(client, careers, alice):
    return Interviews(client, careers, alice)


def test_a_whole_interview_question_by_question_then_its_verdict(client, careers, alice, mine):
    interview = mine.start()
    assert (interview["phase"], interview["step"], interview["status"]) == ("opening", 1, "queued")
    assert interview["turns"] == [] and interview["current_question_id"] is None and interview["company"] == "Toss"
    opening = mine.command(interview["id"], 1)
    assert (opening["action"], opening["turns"], opening["resume"]["title"]) == ("open", [], "백엔드 개발자 이력서")
    assert opening["posting"]["company"] == "Toss"

    results = careers.post([dict(report("interview", interview["id"], "processing", -1), step=1)]).json["results"]
    assert [r["result"] for r in results] == ["applied"]
    assert mine.get(interview["id"])["status"] == "processing"
    mine.done(interview, {"question": question("Tell me about an outage you handled.")})
    interview = mine.get(interview["id"])
    first = interview["turns"][0]
    assert (interview["phase"], interview["status"], interview["current_question_id"]) == (
        "answering",
        "completed",
        first["question_id"],
    )

    answered = mine.answer(interview["id"], first["question_id"])
    assert answered.status_code == 202 and answered.headers["Location"] == f"/api/interviews/{interview['id']}"
    assert (answered.json["step"], answered.json["status"], answered.json["current_question_id"]) == (2, "queued", None)
    evaluation = mine.command(interview["id"], 2)
    assert evaluation["action"] == "answer" and [t["answer"] for t in evaluation["turns"]] == [ANSWER]
    mine.done(answered.json, {"evaluation": "Specific.", "score": 81, "next_question": question("Why a queue?")})

    interview = mine.get(interview["id"])
    second = interview["turns"][1]
    assert interview["current_question_id"] == second["question_id"]
    assert [(t["position"], t["answer"], t["evaluation"], t["score"]) for t in interview["turns"]] == [
        (1, ANSWER, "Specific.", 81),
        (2, None, None, None),
    ]
    third_step = mine.answer(interview["id"], second["question_id"], "Back-pressure.").json
    mine.done(third_step, {"evaluation": "Short.", "score": 60, "next_question": None})
    interview = mine.get(interview["id"])
    assert (interview["phase"], interview["current_question_id"], interview["question_count"]) == ("answering", None, 2)

    finishing = mine.finish(interview["id"])
    assert finishing.status_code == 202 and (finishing.json["phase"], finishing.json["step"]) == ("finishing", 4)
    assert mine.command(interview["id"], 4)["action"] == "finish"
    mine.done(finishing.json, VERDICT)
    interview = mine.get(interview["id"])
    assert (interview["phase"], interview["status"], interview["total_score"], interview["overall"]) == (
        "finished",
        "completed",
        74,
        VERDICT["overall"],
    )
    assert interview["scores"] == VERDICT["scores"] and interview["finished_at"] is not None
    assert careers.notifications(alice.user["id"], "interview.completed") == 4
    listed = client.get("/api/interviews", headers=alice.headers).json
    assert [i["id"] for i in listed["items"]] == [interview["id"]] and "turns" not in listed["items"][0]


def test_answers_out_of_turn_are_409s_that_change_nothing(mine):
    interview = mine.opened()
    first = interview["current_question_id"]
    assert mine.answer(interview["id"], first).status_code == 202
    running = mine.answer(interview["id"], first)
    assert running.status_code == 409 and running.content_type == "application/problem+json"
    assert "still running" in running.json["detail"]
    assert mine.finish(interview["id"]).status_code == 409
    step = mine.get(interview["id"])
    mine.done(step, {"evaluation": "ok", "score": 70, "next_question": question("Next?")})
    again = mine.answer(interview["id"], first)
    assert again.status_code == 409 and "already answered" in again.json["detail"]
    assert mine.finish(interview["id"]).status_code == 202
    pending = mine.get(interview["id"])["turns"][1]["question_id"]
    late = mine.answer(interview["id"], pending)
    assert late.status_code == 409 and "finished" in late.json["detail"]
    mine.done(mine.get(interview["id"]), VERDICT)
    assert mine.finish(interview["id"]).status_code == 409
    assert mine.answer(interview["id"], pending).status_code == 409
    assert mine.commands(interview["id"]) == 3 and mine.get(interview["id"])["step"] == 3


def test_answers_and_a_finish_at_the_same_moment_pass_once(app, mine):
    interview = mine.opened()
    statuses = []

    def post(path: str, body: dict | None):
        statuses.append(app.test_client().post(path, json=body, headers=mine.who.headers).status_code)

    path, body = f"/api/interviews/{interview['id']}", {"question_id": interview["current_question_id"], "answer": "A"}
    threads = [threading.Thread(target=post, args=(f"{path}/answers", body)) for _ in range(4)]
    threads.append(threading.Thread(target=post, args=(f"{path}/finish", None)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [202, 409, 409, 409, 409]  # the interview row is locked: one step at a time
    assert mine.commands(interview["id"]) == 2 and mine.get(interview["id"])["step"] == 2


def test_a_retry_with_the_same_idempotency_key_gets_the_first_answer(client, careers, alice, mine):
    body = {"resume_id": careers.resume(alice)}
    key = {**alice.headers, "Idempotency-Key": "start-1"}
    first, again = (client.post("/api/interviews", json=body, headers=key) for _ in range(2))
    assert (first.status_code, again.status_code, again.headers["Idempotent-Replayed"]) == (202, 202, "true")
    assert first.json["id"] == again.json["id"]
    assert careers.one("SELECT count(*) FROM interviews WHERE owner_id = %s", alice.user["id"])[0] == 1
    interview = mine.get(first.json["id"])
    mine.done(interview, {"question": question("One?")})
    path, answer = f"/api/interviews/{interview['id']}/answers", {"question_id": None, "answer": ANSWER}
    answer["question_id"] = mine.get(interview["id"])["current_question_id"]
    key = {**alice.headers, "Idempotency-Key": "answer-1"}
    first, again = (client.post(path, json=answer, headers=key) for _ in range(2))
    assert (first.status_code, again.status_code, again.json) == (202, 202, first.json)
    assert mine.answer(interview["id"], answer["question_id"]).status_code == 409  # without the key: a new request
    assert mine.commands(interview["id"]) == 2


def test_finishing_before_any_answer_or_before_the_first_question_is_a_409(mine):
    interview = mine.start(with_posting=False)
    assert mine.finish(interview["id"]).status_code == 409  # the first question is still coming
    mine.done(interview, {"question": question("Hello?")})
    refused = mine.finish(interview["id"])
    assert refused.status_code == 409 and "at least one" in refused.json["detail"]
    assert mine.commands(interview["id"]) == 1


def test_a_report_for_an_older_step_is_stale_and_changes_nothing(mine):
    interview = mine.opened()
    mine.answer(interview["id"], interview["current_question_id"])
    late = mine.done(interview, {"question": question("A late first question")}, step=1, offset=5)
    assert late["results"][0]["result"] == "stale"
    shown = mine.get(interview["id"])
    assert (shown["step"], shown["status"], len(shown["turns"])) == (2, "queued", 1)
    assert shown["turns"][0]["evaluation"] is None


def test_a_replayed_report_has_no_second_effect(careers, alice, mine):
    interview = mine.start()
    first = mine.done(interview, {"question": question("One?")}, webhook_id="msg_interview_replay_" + interview["id"])
    replay = mine.done(interview, {"question": question("One?")}, webhook_id="msg_interview_replay_" + interview["id"])
    assert (first["replayed"], replay["replayed"], replay["results"]) == (False, True, first["results"])
    repeated = mine.done(interview, {"question": question("One?")})  # redelivered under a new webhook id
    assert repeated["results"][0]["result"] == "stale"
    assert len(mine.get(interview["id"])["turns"]) == 1
    assert careers.notifications(alice.user["id"], "interview.completed") == 1


def test_an_unusable_result_fails_the_step_and_its_owner_hears(careers, alice, mine):
    interview = mine.start()
    answer = mine.done(interview, {"question": {"question": "no competence", "extra": 1}})
    assert answer["results"][0]["result"] == "invalid"
    shown = mine.get(interview["id"])
    assert (shown["status"], shown["error"]["code"], shown["turns"]) == ("failed", "invalid_output", [])
    assert careers.notifications(alice.user["id"], "interview.failed") == 1


def test_another_users_interview_resume_and_posting_are_404s(client, careers, alice, bob, mine):
    interview = mine.opened()
    question_id, path = interview["current_question_id"], f"/api/interviews/{interview['id']}"
    for method, url, body in (
        ("GET", path, None),
        ("POST", f"{path}/answers", {"question_id": question_id, "answer": "Mine now."}),
        ("POST", f"{path}/finish", None),
    ):
        refused = client.open(url, method=method, json=body, headers=bob.headers)
        assert refused.status_code == 404 and refused.content_type == "application/problem+json"
    assert client.get("/api/interviews", headers=bob.headers).json["total"] == 0
    for body in (
        {"resume_id": careers.resume(alice)},
        {"resume_id": careers.resume(bob), "posting_id": careers.posting(alice)},
    ):
        assert client.post("/api/interviews", json=body, headers=bob.headers).status_code == 404
    assert careers.one("SELECT count(*) FROM interviews WHERE owner_id = %s", bob.user["id"])[0] == 0
    assert mine.get(interview["id"])["turns"][0]["answer"] is None


def test_a_deleted_resume_cannot_start_an_interview(client, careers, alice):
    resume_id = careers.resume(alice)
    assert client.delete(f"/api/resumes/{resume_id}", headers=alice.headers).status_code == 204
    refused = client.post("/api/interviews", json={"resume_id": resume_id}, headers=alice.headers)
    assert refused.status_code == 404


UUID = "0b5c8f9e-5a43-4f0e-9a2b-6f1d3c2e7a10"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"resume_id": None},
        {"resume_id": 123},
        {"resume_id": "not-a-uuid"},
        {"resume_id": UUID, "posting_id": "x"},
        {"resume_id": UUID, "surprise": True},
        [UUID],
    ],
)
def test_bad_start_bodies_are_422s_and_record_nothing(client, careers, alice, body):
    refused = client.post("/api/interviews", json=body, headers=alice.headers)
    assert refused.status_code == 422 and refused.content_type == "application/problem+json", refused.json
    assert careers.one("SELECT count(*) FROM interviews WHERE owner_id = %s", alice.user["id"])[0] == 0


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"question_id": "{q}"},
        {"answer": ANSWER},
        {"question_id": "{q}", "answer": ""},
        {"question_id": "{q}", "answer": "   \n"},
        {"question_id": "{q}", "answer": "x" * 5001},
        {"question_id": "{q}", "answer": 42},
        {"question_id": "{q}", "answer": "bell\u0007"},
        {"question_id": "nope", "answer": ANSWER},
        {"question_id": UUID, "answer": ANSWER},  # a question this interview never asked
    ],
)
def test_bad_answers_are_422s_and_change_nothing(mine, body):
    interview = mine.opened()
    body = {key: value.replace("{q}", interview["current_question_id"]) if key == "question_id" else value
            for key, value in body.items()}  # fmt: skip
    answer = mine.client.post(f"/api/interviews/{interview['id']}/answers", json=body, headers=mine.who.headers)
    assert answer.status_code == 422 and answer.content_type == "application/problem+json", answer.json
    assert mine.get(interview["id"]) == interview and mine.commands(interview["id"]) == 1


def test_malformed_requests_are_problems(client, alice, mine):
    interview = mine.opened()
    path = f"/api/interviews/{interview['id']}/answers"
    as_text = client.post(path, data="question_id=x", headers=alice.headers, content_type="text/plain")
    assert as_text.status_code == 415
    broken = client.post(path, data=b"{not json", headers=alice.headers, content_type="application/json")
    assert broken.status_code == 400 and broken.content_type == "application/problem+json"
    for url in ("/api/interviews/not-a-uuid", f"/api/interviews/{UUID}"):
        assert client.get(url, headers=alice.headers).status_code == 404
    assert client.post("/api/interviews/not-a-uuid/finish", headers=alice.headers).status_code == 404
    assert client.get("/api/interviews?page_size=0", headers=alice.headers).status_code == 422
    assert client.get("/api/interviews?page=x", headers=alice.headers).status_code == 422
    assert mine.get(interview["id"]) == interview
