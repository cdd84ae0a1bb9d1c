"""The harness: a perfect answer scores 1, an empty one 0, and items match on action, object and numbers."""

import collections
import dataclasses

import pytest

from eval.dataset import LANGUAGES, load, parse
from eval.run import run_document
from eval.score import Score, in_order, match, score

REFERENCES = [
    "Notify all affected employees before shutdown",
    "Apply your personal padlock to each isolation point",
    "Record the removal in the lockout log within 24 hours",
]
FACTS = ["only trained employees apply locks", "removal recorded within 24 hours"]


def test_a_perfect_answer_scores_one():
    result = score(
        list(REFERENCES),
        "Only trained employees apply locks; a removal is recorded within 24 hours.",
        REFERENCES,
        FACTS,
    )
    assert (result.recall, result.precision, result.coverage, result.order) == (1.0, 1.0, 1.0, 1.0)


def test_an_empty_answer_scores_zero():
    result = score([], "", REFERENCES, FACTS)
    assert (result.recall, result.precision, result.coverage) == (0.0, 0.0, 0.0)


def test_items_outside_the_references_cost_precision_only():
    result = score([*REFERENCES, "The lockout log is kept in the maintenance office"], "", REFERENCES, FACTS)
    assert (result.recall, result.precision) == (1.0, 0.75)


@pytest.mark.parametrize(
    ("item", "reference"),
    [
        ("Visitors must sign in at the front desk", "Sign in at the front desk"),
        ("Gloves were removed immediately after the task", "Remove gloves immediately after the task"),
        ("출입증을 패용해야 합니다", "출입증 패용하기"),
        ("사용한 장갑은 비닐봉지에 밀봉하여 버리십시오.", "사용한 장갑을 비닐봉지에 밀봉하여 버림"),
        ("Report spills within 24 hours.", "Report the spill within 24 hours"),
        ("Dispose of 1,000 mL", "dispose of 1000 mL"),
    ],
)
def test_the_same_action_and_object_match_whatever_the_form(item, reference):
    assert match([item], [reference]) == [(0, 0)]


@pytest.mark.parametrize(
    ("item", "reference"),
    [
        ("Report the spill within 4 hours", "Report the spill within 24 hours"),  # a deadline lost
        ("Lock the cabinet", "Clean the cabinet"),  # another action on the same object
        ("Wear a badge", "Wear safety goggles"),  # the same action on another object
        ("보안 USB를 반납한다", "보안 USB를 분실하면 즉시 신고한다"),
    ],
)
def test_another_action_object_or_number_does_not_match(item, reference):
    assert match([item], [reference]) == []


def test_an_item_merging_two_references_counts_once():
    items = ["Apply your personal padlock to each isolation point and record it in the lockout log"]
    refs = ["Apply your personal padlock to each isolation point", "Record the padlock in the lockout log"]
    assert len(match(items, refs)) == 1


def test_the_best_pairs_are_taken_first():
    items = ["Wash your hands with soap", "Wash your hands with soap and water for 40 seconds"]
    refs = ["Wash your hands with soap and water for 40 seconds", "Wash your hands with soap"]
    assert match(items, refs) == [(0, 1), (1, 0)]


def test_order_counts_the_items_that_follow_the_references():
    assert in_order([(0, 0), (1, 1), (2, 2)]) == 3
    assert in_order([(0, 2), (1, 0), (2, 1)]) == 2


def test_a_fact_is_kept_only_with_its_numbers():
    facts = ["report within 24 hours"]
    assert score([], "Report every spill within 24 hours.", [], facts).coverage == 1.0
    assert score([], "Report every spill within 4 hours.", [], facts).coverage == 0.0
    assert score([], "Spills are reported.", [], facts).coverage == 0.0


def test_scores_add_up_as_micro_averages():
    total = Score(1, 2, 4, 1, 1, 2) + Score(3, 3, 4, 3, 2, 2)
    assert (total.recall, total.precision, total.coverage) == (0.5, 0.8, 0.75)


class EchoProvider:
    """Answers with a document's own references: what a perfect provider would say."""

    name, model = "echo", "references"

    def __init__(self, document):
        self.document = document

    def summarize(self, text):
        return dataclasses.make_dataclass("S", ["text"])(".\n".join(self.document.facts))

    def make_checklist(self, summary, text=None):
        return dataclasses.make_dataclass("C", ["items"])(list(self.document.checklist))


def test_the_references_of_every_document_score_one_through_the_runner():
    for document in load("guidelines") + load("heldout"):
        result = run_document(EchoProvider(document), document).score
        assert (result.recall, result.precision, result.coverage) == (1.0, 1.0, 1.0), document.id


def test_the_sets_are_well_formed():
    guidelines = load("guidelines")
    assert len(guidelines) >= 40 and len({d.id for d in guidelines + load("heldout")}) == len(guidelines) + 6
    assert min(collections.Counter(d.language for d in guidelines).values()) >= 13
    assert set(collections.Counter(d.language for d in guidelines)) == set(LANGUAGES)


def test_a_malformed_document_is_refused():
    good = {"id": "x", "language": "en", "domain": "hr", "text": "word " * 120, "checklist": ["a"], "facts": ["b"]}
    assert parse(good, "x.yaml").words == 120
    for bad in ({**good, "language": "fr"}, {**good, "text": "too short"}, {**good, "checklist": []}):
        with pytest.raises(ValueError):
            parse(bad, "x.yaml")
    with pytest.raises(ValueError, match="missing"):
        parse({"id": "x"}, "x.yaml")
