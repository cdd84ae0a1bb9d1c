"""The property harness: a known-good output holds every property, a known-bad one fails exactly the right ones."""

import dataclasses
import re

import pytest

from eval.properties.cases import LANGUAGES, load, parse
from eval.properties.checks import hangul_share, resolve
from eval.properties.results import outcome
from eval.properties.tasks import TASKS, Providers, Run, run_feedback, run_interview

FEEDBACK = next(task for task in TASKS if task.name == "feedback")
CASE = parse(
    {
        "id": "sample",
        "language": "en",
        "input": {},
        "properties": [
            {"says": "Kubernetes is a must-fix", "mentions": {"in": "must_fix", "all": ["Kubernetes"]}},
            {"says": "no must-fix names Python", "not_mentions": {"in": "must_fix", "any": ["Python"]}},
            {"says": "rate 40 to 70", "range": {"of": "rate", "min": 40, "max": 70}},
            {"says": "one gap", "count": {"in": "must_fix", "any": ["gap"], "min": 1, "max": 1}},
            {"says": "strength first", "order": {"in": "feedback", "first": ["Shows"], "then": ["gap"]}},
            {"says": "in English", "language": {"is": "en"}},
        ],
    },
    "feedback",
    FEEDBACK.fields,
    "sample.yaml",
)
GOOD = {
    "strengths": ["Shows 2 of the 3 skills the posting requires: Python, PostgreSQL."],
    "must_fix": ["The posting requires Kubernetes.", "A gap of 8 months between A and B."],
    "suggestions": [],
    "further": [],
    "rate": 47,
}
GOOD["feedback"] = GOOD["strengths"] + GOOD["must_fix"]
BAD = {
    "strengths": [],
    "must_fix": ["Python is missing.", "A gap of 8 months.", "Another gap of 9 months."],
    "suggestions": [],
    "further": [],
    "feedback": ["A gap of 8 months.", "공고의 필수 역량인 Python이 보이지 않습니다."],
    "rate": 90,
}


def failed(view: dict, problems: list[str] | None = None) -> list[str]:
    return [prop.says for prop, _ in outcome(CASE, Run(view, problems or [])).failed]


def test_a_known_good_output_holds_every_property():
    assert failed(GOOD) == []


def test_a_known_bad_output_fails_exactly_the_properties_it_breaks():
    assert failed(BAD) == [
        "Kubernetes is a must-fix",
        "no must-fix names Python",
        "rate 40 to 70",
        "one gap",
        "strength first",
        "in English",
    ]


def test_a_result_outside_its_schema_fails_the_implicit_property_only():
    assert failed(GOOD, ["feedback: matching_rate: -1 is less than the minimum of 0"]) == [
        "the result matches its JSON Schema"
    ]


def test_a_property_that_cannot_read_the_view_fails_instead_of_crashing():
    assert "rate 40 to 70" in failed(GOOD | {"rate": None})


def test_paths_count_from_one_and_reach_the_last_element():
    view = {"scores": [10, 20, 30], "overall": "fine"}
    assert [resolve(view, p) for p in ("scores.1", "scores.3", "scores.last", "scores.4", "overall.1")] == [
        10, 30, 30, None, "fine",
    ]  # fmt: skip


def test_language_is_the_share_of_words_in_hangul():
    assert hangul_share("공고의 필수 역량인 Kubernetes가 보이지 않습니다.") > 0.6
    assert hangul_share("The posting requires Kubernetes.") == 0.0


@pytest.mark.parametrize(
    ("prop", "why"),
    [
        ({"says": "x"}, "exactly one check"),
        ({"says": "x", "mentions": {"in": "must_fix"}, "range": {"of": "rate"}}, "exactly one check"),
        ({"says": "x", "resembles": {"in": "must_fix"}}, "exactly one check"),
        ({"says": "x", "mentions": {"in": "nowhere", "any": ["a"]}}, "names ['nowhere']"),
        ({"says": "x", "range": {"of": "rate", "least": 3}}, "unexpected keyword"),
    ],
)
def test_a_malformed_property_is_refused_saying_why(prop, why):
    data = {"id": "x", "language": "en", "input": {}, "properties": [prop]}
    with pytest.raises(ValueError, match=re.escape(why)):
        parse(data, "feedback", FEEDBACK.fields, "x.yaml")


@pytest.mark.parametrize("task", TASKS, ids=lambda task: task.name)
def test_every_set_loads_with_ten_cases_or_more_in_both_languages(task):
    cases = load(task.folder, task.name, task.fields)
    assert len(cases) >= 10
    assert {case.language for case in cases} == set(LANGUAGES)
    assert len({case.id for case in cases}) == len(cases)


@dataclasses.dataclass
class Canned:
    """A provider that answers every request with the next canned result."""

    results: list

    def answer(self, request):
        return dataclasses.make_dataclass("Answer", ["result"])(self.results.pop(0))


def test_a_feedback_is_read_into_divisions_and_its_rate():
    contents = [{"division": "1", "result": "Good."}, {"division": "2", "result": "Fix."}]
    result = {"parent_content": "# CV", "matching_rate": 47, "feedback_contents": contents}
    run = run_feedback(Providers(Canned([result]), None, "canned", "-"), {})
    assert (run.view["strengths"], run.view["must_fix"], run.view["rate"], run.problems) == (
        ["Good."],
        ["Fix."],
        47,
        [],
    )


def test_an_interview_answers_each_answer_in_turn_then_finishes():
    question = {"competence": "technical", "question": "Q?"}
    results = [
        {"question": question},
        {"evaluation": "Good.", "score": 80, "next_question": question},
        {"evaluation": "Short.", "score": 20, "next_question": None},
        {"total_score": 50, "scores": [{"competence": "technical", "score": 50}], "overall": "Fine."},
    ]
    run = run_interview(Providers(Canned(results), None, "canned", "-"), {"answers": ["long", "short"]})
    assert (run.view["scores"], run.view["total"], len(run.view["questions"]), run.problems) == ([80, 20], 50, 2, [])
