"""AI résumé feedback end to end: the gateway, its relay and the llm-worker (offline provider), HTTP in, result out."""

import json
import time

import pika
from e2e_stack import wait_until

RESUME = {
    "title": "백엔드 개발자 이력서",
    "name": "김하늘",
    "birth_date": "1995-04-01",
    "self_introduction": "Python과 PostgreSQL로 결제 시스템을 만들었습니다.",
    "experiences": [
        {
            "job_title": "백엔드 개발자",
            "department": "결제플랫폼",
            "position": "선임",
            "job_description": "Python, Django, PostgreSQL로 결제 API를 개발했습니다.",
            "employment_status": True,
            "start_date": "2021-03-02",
        }
    ],
    "technology_stacks": [{"name": "Python"}, {"name": "PostgreSQL"}, {"name": "Django"}],
}
POSTING = {
    "title": "백엔드 엔지니어",
    "company": "Toss",
    "qualification": "Python, PostgreSQL, Kubernetes 경험",
    "prefer": "RabbitMQ, Redis",
}


def made(stack, path: str, body: dict) -> str:
    response = stack.http.post(path, json=body)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def asked(stack, path: str) -> dict:
    response = stack.http.post(path)
    assert response.status_code == 202, response.text
    return response.json()


def told(stack, kind: str) -> int:
    inbox = stack.http.get("/api/notifications", params={"page_size": 100}).json()["items"]
    return sum(1 for n in inbox if n["type"] == kind)


def test_feedback_then_a_rewritten_resume_from_it(stack):
    for name in ("gateway", "relay", "llm-worker"):
        stack.start(name)
    stack.sign_in()
    resume_id, posting_id = made(stack, "/api/resumes", RESUME), made(stack, "/api/job-postings", POSTING)
    accepted = asked(stack, f"/api/resume_feedbacks/posting/{resume_id}/{posting_id}")
    feedback = stack.wait_until_finished(accepted["links"]["self"])
    assert feedback["status"] == "completed", feedback
    assert 0 <= feedback["matching_rate"] < 100 and feedback["parent_content"]
    assert {c["division"] for c in feedback["contents"]} >= {"2"}  # Kubernetes is required and missing
    assert any("Kubernetes" in c["result"] for c in feedback["contents"] if c["division"] == "2")
    assert all(c["label_ko"] and c["label_en"] for c in feedback["contents"])
    listed = stack.http.get("/api/resume_feedbacks").json()["items"][0]
    assert (listed["feedback_id"], listed["company"], listed["content_count"]) == (
        accepted["id"],
        "Toss",
        len(feedback["contents"]),
    )

    rewrite = asked(stack, f"/api/resume_feedbacks/posting_resume/{accepted['id']}")
    done = stack.wait_until_finished(rewrite["links"]["self"])
    assert done["status"] == "completed" and done["resume_id"], done
    new = stack.http.get(f"/api/resumes/{done['resume_id']}").json()
    assert (new["resume_type"], new["source_feedback_id"], new["name"]) == ("2", accepted["id"], "김하늘")
    assert wait_until(lambda: told(stack, "resume_feedback.completed") == 1, 10)
    assert wait_until(lambda: told(stack, "resume_rewrite.completed") == 1, 10)


def test_a_redelivered_feedback_message_has_one_result_and_one_notification(stack, stack_env, sql):
    stack.start("gateway")
    stack.sign_in()
    resume_id = made(stack, "/api/resumes", RESUME)
    feedback_id = asked(stack, f"/api/resume_feedbacks/standard/{resume_id}")["id"]
    [(payload, routing_key)] = sql("SELECT payload, routing_key FROM outbox WHERE message_type = 'ReviewResume'")
    connection = pika.BlockingConnection(pika.URLParameters(stack_env["AMQP_URL"]))
    channel = connection.channel()
    channel.confirm_delivery()
    properties = pika.BasicProperties(message_id="feedback-twice", type="ReviewResume", delivery_mode=2)
    for _ in range(2):  # no relay: the same message delivered twice, as after a lost ack
        channel.basic_publish("jobs", routing_key, json.dumps(payload).encode(), properties)
    connection.close()
    stack.start("llm-worker")
    feedback = stack.wait_until_finished(f"/api/resume_feedbacks/{feedback_id}")
    assert feedback["status"] == "completed", feedback
    time.sleep(1)  # the second delivery, if it had any effect, would have had it by now
    assert sql("SELECT count(*) FROM resume_feedback_contents WHERE feedback_id = %s", feedback_id) == [
        (len(feedback["contents"]),)
    ]
    assert told(stack, "resume_feedback.completed") == 1
