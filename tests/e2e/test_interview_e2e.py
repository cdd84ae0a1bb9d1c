"""Mock interviews and study guides end to end: the gateway, its relay and the llm-worker (offline provider)."""

from e2e_stack import wait_until
from test_resume_feedback_e2e import POSTING, RESUME, asked, made, told

ANSWERS = [
    "결제 API의 p99 지연을 40% 줄였습니다. 원인을 찾고 인덱스를 추가했고, 팀과 배포를 조율했습니다.",
    "장애가 났을 때 로그를 보고 큐를 도입해 재시도를 만들었습니다. 결과적으로 오류가 30% 줄었습니다.",
]


def test_an_interview_question_by_question_then_its_verdict(stack):
    for name in ("gateway", "relay", "llm-worker"):
        stack.start(name)
    stack.sign_in()
    resume_id, posting_id = made(stack, "/api/resumes", RESUME), made(stack, "/api/job-postings", POSTING)
    response = stack.http.post("/api/interviews", json={"resume_id": resume_id, "posting_id": posting_id})
    assert response.status_code == 202, response.text
    path = response.json()["links"]["self"]
    interview = stack.wait_until_finished(path)
    answered = 0
    while interview["current_question_id"]:
        assert interview["status"] == "completed", interview
        body = {"question_id": interview["current_question_id"], "answer": ANSWERS[answered % len(ANSWERS)]}
        assert stack.http.post(f"{path}/answers", json=body).status_code == 202
        answered += 1
        interview = stack.wait_until_finished(path)
    assert answered == len(interview["turns"]) >= 2 and interview["phase"] == "answering"
    assert all(turn["evaluation"] and 0 <= turn["score"] <= 100 for turn in interview["turns"])
    assert [turn["position"] for turn in interview["turns"]] == list(range(1, answered + 1))
    assert stack.http.post(f"{path}/finish").status_code == 202
    interview = stack.wait_until_finished(path)
    assert (interview["phase"], interview["status"]) == ("finished", "completed"), interview
    assert interview["scores"] and 0 <= interview["total_score"] <= 100 and interview["overall"]
    assert wait_until(lambda: told(stack, "interview.completed") == answered + 2, 10)


def test_study_guides_from_a_posting_and_from_a_feedback(stack):
    for name in ("gateway", "relay", "llm-worker"):
        stack.start(name)
    stack.sign_in()
    made(stack, "/api/resumes", RESUME)
    posting_id = made(stack, "/api/job-postings", POSTING)
    from_posting = stack.http.post("/api/study-guides", json={"posting_id": posting_id})
    assert from_posting.status_code == 202, from_posting.text
    guide = stack.wait_until_finished(from_posting.json()["links"]["self"])
    assert guide["status"] == "completed" and guide["title"] and guide["items"], guide
    assert any("Kubernetes" in " ".join([item["title"], item["content"], *item["keywords"]]) for item in guide["items"])

    resume_id = made(stack, "/api/resumes", RESUME)
    feedback = asked(stack, f"/api/resume_feedbacks/posting/{resume_id}/{posting_id}")
    feedback = stack.wait_until_finished(feedback["links"]["self"])
    from_feedback = stack.http.post("/api/study-guides", json={"feedback_id": feedback["feedback_id"]})
    assert from_feedback.status_code == 202, from_feedback.text
    guide = stack.wait_until_finished(from_feedback.json()["links"]["self"])
    assert guide["status"] == "completed" and [item["position"] for item in guide["items"]] == list(
        range(1, len(guide["items"]) + 1)
    )
    assert wait_until(lambda: told(stack, "study_guide.completed") == 2, 10)
