"""The offline feedback on small Korean and English résumés: what it finds, in the résumé's language."""

import copy

import pytest
from support.careers_samples import ENGLISH_POSTING, ENGLISH_RESUME, KOREAN_POSTING, KOREAN_RESUME, NOW

from llm_worker.careers.analysis import analyse
from llm_worker.careers.feedback import feedback_result
from llm_worker.careers.resume import read_posting, read_resume
from shared.messages.careers_results import result_problems

pytestmark = pytest.mark.unit


def feedback(resume: dict, posting: dict | None = None) -> dict:
    result = feedback_result(analyse(read_resume(resume, NOW), read_posting(posting)))
    assert result_problems("feedback", result) == []
    return result


def points(result: dict, division: str) -> list[str]:
    return [c["result"] for c in result["feedback_contents"] if c["division"] == division]


def test_a_missing_required_skill_is_a_must_fix_and_a_missing_preferred_one_a_recommendation():
    result = feedback(KOREAN_RESUME, KOREAN_POSTING)
    must_fix = points(result, "2")
    assert any("AWS" in point for point in must_fix)
    assert any("대용량 트래픽" in point for point in must_fix), "a requirement named in words, not a tool"
    assert not any("Python" in point or "Django" in point for point in must_fix), "shown skills are no gap"
    further = points(result, "4")
    assert any("Kubernetes" in point for point in further) and any("Redis" in point for point in further)
    assert any("Python, Django" in point for point in points(result, "1"))


def test_skills_a_posting_joins_with_or_are_one_requirement_any_of_them_meets():
    resume = copy.deepcopy(KOREAN_RESUME) | {"technology_stacks": [{"name": "Go"}]}
    result = feedback(resume, {"qualification": "Go 또는 Java 서버 개발 경험\nReact or Vue"})
    assert any("1개를 갖추었습니다: Go." in p for p in points(result, "1"))
    must_fix = points(result, "2")
    assert not any("Java" in p for p in must_fix), "Go meets 'Go 또는 Java'"
    assert any("React or Vue" in p for p in must_fix) and result["matching_rate"] == 50


def test_a_gap_and_an_overlap_between_jobs_are_found_and_named():
    must_fix = points(feedback(KOREAN_RESUME), "2")
    [gap] = [p for p in must_fix if "공백" in p]
    assert "백엔드 개발자 (주문플랫폼팀, 선임)" in gap and "서버 개발자 (커머스팀)" in gap and "10개월" in gap
    [overlap] = [p for p in must_fix if "겹칩니다" in p]
    assert "서버 개발자 (커머스팀)" in overlap and "프리랜서 개발자" in overlap


def test_a_gap_is_counted_to_the_nearest_month():
    resume = copy.deepcopy(KOREAN_RESUME)
    resume["experiences"] = [
        {**resume["experiences"][0], "end_date": "2021-03-31"},
        {**resume["experiences"][1], "start_date": "2021-11-15"},
    ]
    [gap] = [p for p in points(feedback(resume), "2") if "공백" in p]
    assert "8개월" in gap, "from the end of March to mid-November"


def test_jobs_in_sequence_have_neither_gap_nor_overlap():
    resume = copy.deepcopy(KOREAN_RESUME)
    resume["experiences"] = [resume["experiences"][0], {**resume["experiences"][1], "start_date": "2021-04-01"}]
    assert not [p for p in points(feedback(resume), "2") if "공백" in p or "겹칩니다" in p]


def test_a_quantified_line_is_praised_by_quoting_it():
    strengths = points(feedback(ENGLISH_RESUME), "1")
    assert any("Senior Engineer (Platform)" in p and "cutting deploy time from 40 to 6 minutes" in p for p in strengths)
    assert any("40% 단축" in p for p in points(feedback(KOREAN_RESUME), "1"))


def test_a_long_quantified_sentence_is_quoted_up_to_its_result():
    resume = copy.deepcopy(ENGLISH_RESUME)
    resume["experiences"][1]["job_description"] = (
        "Built the retention dashboards in Tableau on top of SQL models; designed 50+ A/B tests and the statistics "
        "behind them (power analysis, regression), which raised week-4 retention by 6%."
    )
    assert any("retention by 6%" in p for p in points(feedback(resume), "1"))


def test_an_unquantified_item_and_a_weak_verb_are_suggestions_naming_the_item():
    suggestions = points(feedback(ENGLISH_RESUME), "3")
    assert any("Software Engineer (Payments) gives no number" in p for p in suggestions)
    assert any("“responsible for” in Software Engineer (Payments)" in p for p in suggestions)
    assert not any("Senior Engineer" in p for p in suggestions)


def test_thin_and_misdated_items_are_must_fix():
    resume = copy.deepcopy(ENGLISH_RESUME)
    resume["projects"] = [{"title": "Search service", "description": "Elasticsearch", "start_date": "2021-01-01",
                           "end_date": "2020-06-01"}]  # fmt: skip
    must_fix = points(feedback(resume), "2")
    assert any("Search service ends (2020-06-01) before it starts (2021-01-01)" in p for p in must_fix)
    assert any("Search service says too little" in p for p in must_fix)


def test_the_feedback_speaks_the_resumes_language():
    korean = " ".join(c["result"] for c in feedback(KOREAN_RESUME, KOREAN_POSTING)["feedback_contents"])
    english = " ".join(c["result"] for c in feedback(ENGLISH_RESUME, ENGLISH_POSTING)["feedback_contents"])
    assert "이력서" in korean and "résumé" not in korean
    assert "posting" in english and not any("\uac00" <= ch <= "\ud7a3" for ch in english)


def test_the_matching_rate_follows_the_skills_the_posting_asks_for():
    assert feedback(KOREAN_RESUME, KOREAN_POSTING)["matching_rate"] == 45  # 2/4 required (70 %), 1/3 preferred
    more = copy.deepcopy(KOREAN_RESUME)
    more["technology_stacks"].append({"name": "AWS"})
    assert feedback(more, KOREAN_POSTING)["matching_rate"] == 62  # 3/4 required
    assert feedback({"title": "빈 이력서"}, KOREAN_POSTING)["matching_rate"] == 0
    posting = {"qualification": "Python, Django", "prefer": "MySQL"}
    assert feedback(KOREAN_RESUME, posting)["matching_rate"] == 100


def test_without_a_posting_the_rate_is_how_complete_the_resume_is():
    complete = feedback(KOREAN_RESUME)["matching_rate"]
    empty = feedback({"title": "Empty"})["matching_rate"]
    assert empty == 0 and 50 < complete < 100
    assert any("No experience and no projects" in p for p in points(feedback({"title": "Empty"}), "2"))


def test_the_parent_content_is_the_resume_as_markdown():
    markdown = feedback(KOREAN_RESUME)["parent_content"]
    assert markdown.startswith("# 백엔드 개발자 이력서\n")
    for expected in ("## 경력", "### 백엔드 개발자 — 주문플랫폼팀, 선임", "*2022-01-01 ~ 현재*", "학사, 3.8/4.5",
                     "## 기술 스택", "Python, Django, MySQL"):  # fmt: skip
        assert expected in markdown


def test_the_same_request_gives_the_same_feedback():
    assert feedback(KOREAN_RESUME, KOREAN_POSTING) == feedback(copy.deepcopy(KOREAN_RESUME), dict(KOREAN_POSTING))


def test_a_huge_or_broken_resume_still_gives_a_valid_feedback():
    long_job = {"job_title": "x" * 300, "job_description": "y" * 5000, "start_date": "2020-01-01"}
    huge = {"title": "t" * 500, "self_introduction": "z" * 20_000, "experiences": [long_job] * 50,
            "technology_stacks": [{"name": f"tool{n}"} for n in range(60)]}  # fmt: skip
    assert len(feedback(huge)["parent_content"]) <= 50_000
    broken = {"title": 7, "experiences": ["not an item", {"start_date": "yesterday"}], "technology_stacks": "Python"}
    feedback(broken)
    feedback({}, {"qualification": None, "prefer": 3})
