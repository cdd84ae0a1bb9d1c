"""The offline rewrite, interview and study guide: the same facts, real evaluations, gaps first; always valid."""

import copy

import pytest
from support.careers_samples import ENGLISH_POSTING, ENGLISH_RESUME, KOREAN_POSTING, KOREAN_RESUME, NOW

from llm_worker.careers.language import phrases
from llm_worker.careers.offline import OfflineCareersProvider
from llm_worker.careers.port import CareersRequest
from llm_worker.careers.skills import SKILLS
from shared.messages.careers_results import result_problems

pytestmark = pytest.mark.unit
PROVIDER = OfflineCareersProvider()
STAR_ANSWER = (
    "When our deploys took 40 minutes, my goal was to cut them. I led the migration to Kubernetes and wrote the "
    "Helm charts for every Java service; as a result deploys take 6 minutes, 85% faster, with fewer failed releases."
)


def run(kind: str, resume=None, posting=None, feedback=None, turns=()) -> dict:
    request = CareersRequest(kind, resume, posting, feedback, tuple(turns), NOW)
    result = PROVIDER.answer(request).result
    assert result_problems(kind, result) == []
    return result


def test_the_rewrite_keeps_the_facts_and_asks_for_numbers_where_there_are_none():
    result = run("rewrite", KOREAN_RESUME, KOREAN_POSTING)
    assert result["title"] == "백엔드 개발자 이력서 (개선안)"
    jobs = result["experiences"]
    assert [(j["job_title"], j["start_date"], j["end_date"]) for j in jobs] == [
        ("백엔드 개발자", "2019-03-01", "2021-02-28"),
        ("서버 개발자", "2022-01-01", None),
        ("프리랜서 개발자", "2022-03-01", "2022-09-30"),
    ]
    assert "40% 단축" in jobs[0]["job_description"] and "[수치 추가" not in jobs[0]["job_description"]
    assert "[수치 추가" in jobs[1]["job_description"], "no number: a prompt for one"
    assert "[설명 추가" in jobs[2]["job_description"], "too thin: a prompt to describe it"
    assert "참여했" not in jobs[0]["job_description"] and "기여했" in jobs[0]["job_description"]
    assert result["educations"][0]["degree_level"] == "3"


def test_the_rewrite_adds_to_the_stack_the_posting_skills_the_resume_already_shows():
    names = [item["name"] for item in run("rewrite", KOREAN_RESUME, KOREAN_POSTING)["technology_stacks"]]
    assert names == ["Python", "Django", "MySQL", "CI/CD"], "Jenkins in a project shows CI/CD; AWS stays out"
    names = [item["name"] for item in run("rewrite", ENGLISH_RESUME)["technology_stacks"]]
    assert names[-1] == "Elasticsearch" and names.count("Kubernetes") == 1


def test_missing_sections_become_placeholders_to_edit():
    result = run("rewrite", {"title": "Empty"})
    assert result["self_introduction"].startswith("[About me")
    assert [p["title"] for p in result["projects"]] == ["[Project name]"]
    swapped = copy.deepcopy(ENGLISH_RESUME)
    swapped["projects"][0] |= {"start_date": "2021-01-01", "end_date": "2020-06-01"}
    [project] = run("rewrite", swapped)["projects"]
    assert (project["start_date"], project["end_date"]) == ("2020-06-01", "2021-01-01")


def test_the_interview_asks_from_the_resume_and_posting():
    question = run("interview.open", ENGLISH_RESUME, ENGLISH_POSTING)["question"]
    assert question["competence"] == "technical depth"
    assert "Java" in question["question"] and "Software Engineer (Payments)" in question["question"]
    korean = run("interview.open", KOREAN_RESUME, KOREAN_POSTING)["question"]
    assert korean["competence"] == "기술 역량" and "Python" in korean["question"]


def test_a_concrete_answer_scores_higher_than_a_vague_one_and_the_next_question_follows():
    opening = run("interview.open", ENGLISH_RESUME, ENGLISH_POSTING)["question"]
    turn = {"question_id": "q1", **opening}
    good = run("interview.answer", ENGLISH_RESUME, ENGLISH_POSTING, turns=[turn | {"answer": STAR_ANSWER}])
    vague = run("interview.answer", ENGLISH_RESUME, ENGLISH_POSTING, turns=[turn | {"answer": "I did my best."}])
    assert good["score"] >= 80 > 30 >= vague["score"]
    assert "numbers" in good["evaluation"] and "situation, task, action and result" in good["evaluation"]
    assert "short" in vague["evaluation"] and "missing here" in vague["evaluation"]
    assert good["next_question"]["competence"] == "problem solving"
    assert good["next_question"] != opening


def test_an_answer_through_a_framework_of_the_skill_asked_is_on_topic_and_one_beside_the_point_is_weak():
    opening = run("interview.open", KOREAN_RESUME, KOREAN_POSTING)["question"]
    assert "Python" in opening["question"]
    turn = {"question_id": "q1", **opening}
    django = ("당시 주문 API가 느렸고 목표는 응답 시간 단축이었습니다. 제가 Django ORM의 N+1 쿼리를 찾아 고쳤고, "
              "그 결과 응답 시간이 800ms에서 300ms로 60% 단축되었습니다.")  # fmt: skip
    hiking = "저는 주말마다 등산을 하는데, 동호회 총무를 맡아 회원 30명의 일정을 관리한 적도 있습니다."
    on_topic = run("interview.answer", KOREAN_RESUME, KOREAN_POSTING, turns=[turn | {"answer": django}])
    off_topic = run("interview.answer", KOREAN_RESUME, KOREAN_POSTING, turns=[turn | {"answer": hiking}])
    assert "질문의 핵심(Django)" in on_topic["evaluation"] and on_topic["score"] >= 80
    assert "벗어났습니다" in off_topic["evaluation"] and off_topic["score"] <= 40


def test_an_item_named_in_the_question_is_not_what_the_answer_must_name():
    resume = copy.deepcopy(KOREAN_RESUME)
    resume["experiences"][0]["job_title"] = "데이터 분석가"
    asked = "데이터 분석가 (주문플랫폼팀, 선임)에서 겪은 가장 어려운 문제는 무엇이었습니까?"
    question = {"question_id": "q2", "competence": "문제 해결", "question": asked}
    result = run("interview.answer", resume, turns=[question | {"answer": STAR_ANSWER}])
    assert "Data analysis" not in result["evaluation"]


def test_the_interview_ends_after_five_questions_and_scores_each_competence():
    turns = []
    question = run("interview.open", KOREAN_RESUME, KOREAN_POSTING)["question"]
    answers = ["당시 주문 API가 느렸고 목표는 응답 시간 단축이었습니다. 제가 쿼리를 분석해 Redis 캐시를 도입했고, "
               "그 결과 응답 시간이 800ms에서 300ms로 60% 단축되었습니다.", "잘 모르겠습니다."]  # fmt: skip
    for n in range(5):
        turns.append({"question_id": f"q{n}", **question, "answer": answers[n % 2]})
        result = run("interview.answer", KOREAN_RESUME, KOREAN_POSTING, turns=turns)
        turns[-1] |= {"score": result["score"], "evaluation": result["evaluation"]}
        question = result["next_question"]
        assert (question is None) == (n == 4)
    final = run("interview.finish", KOREAN_RESUME, KOREAN_POSTING, turns=turns)
    scores = {item["competence"]: item["score"] for item in final["scores"]}
    assert list(scores) == ["기술 역량", "문제 해결", "협업", "지원 동기", "성장 가능성"]
    assert scores["기술 역량"] > scores["문제 해결"]
    assert final["total_score"] == round(sum(t["score"] for t in turns) / 5)
    assert "5개 질문 중 5개" in final["overall"]


def test_an_interview_finished_without_answers_scores_zero():
    final = run("interview.finish", ENGLISH_RESUME, turns=[{"competence": "collaboration", "question": "Why?"}])
    assert final["total_score"] == 0 and final["scores"] == [{"competence": "collaboration", "score": 0}]


def test_the_study_guide_puts_required_skills_first():
    guide = run("study_guide", KOREAN_RESUME, KOREAN_POSTING)
    assert guide["title"] == "한빛커머스 백엔드 엔지니어 대비 학습 가이드"
    priorities = [item["priority"] for item in guide["items"]]
    assert priorities == sorted(priorities)
    first = guide["items"][0]
    assert first["priority"] == "1" and first["title"] == "AWS 학습" and "AWS" in first["keywords"]
    by_title = {item["title"]: item for item in guide["items"]}
    assert by_title["Kubernetes 학습"]["priority"] == "2" and by_title["Redis 학습"]["priority"] == "2"
    assert "Python 학습" not in by_title, "what the résumé shows is no gap"


def test_a_korean_study_guide_names_its_topics_in_korean_and_every_skill_has_them():
    guide = run("study_guide", KOREAN_RESUME, KOREAN_POSTING)
    aws = next(item for item in guide["items"] if item["title"] == "AWS 학습")
    assert "VPC" in aws["content"] and "and IAM" not in aws["content"] and "EC2, S3와 IAM" in aws["keywords"]
    english = run("study_guide", ENGLISH_RESUME, ENGLISH_POSTING)["items"]
    assert any("EC2, S3 and IAM" in item["keywords"] for item in english)
    assert {skill.name for skill in SKILLS} == set(phrases()["topics"]["ko"])


def test_a_study_guide_from_a_feedback_alone_studies_the_skills_it_names():
    feedback = {"matching_rate": 40, "feedback_contents": [
        {"division": "2", "result": "The posting requires Terraform, and the résumé does not show it."},
        {"division": "4", "result": "The posting prefers Kafka."},
        {"division": "3", "result": "Software Engineer gives no number."},
    ]}  # fmt: skip
    items = run("study_guide", feedback=feedback)["items"]
    assert [(i["title"], i["priority"]) for i in items[:2]] == [("Learn Terraform", "1"), ("Learn Kafka", "2")]
    assert any(i["content"] == "Software Engineer gives no number." and i["priority"] == "3" for i in items)
    assert all(0 < i["estimated_hours"] <= 500 for i in items)
