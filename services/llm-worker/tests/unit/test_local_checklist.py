"""The offline checklist comes from the whole text: every action, in order, with its numbers, and nothing else."""

import pytest

from llm_worker.chain import run_checklist, run_summary
from llm_worker.providers.korean import DESCRIPTIVE, IMPERATIVE, NOMINAL, OBLIGATION, RULE, clause_kind, korean_item
from llm_worker.providers.local import LocalProvider
from llm_worker.providers.segment import split_sentences

# The case: a mixed Korean and English clinical guideline with eight actionable sentences.
MIXED_GUIDELINE = """수술 후 통증 관리 지침 (Post-operative pain)

본 지침은 성인 외과 병동에 적용된다. 수술 후 통증은 회복을 늦추고 합병증을 늘린다.

1. 간호사는 수술 후 4시간마다 NRS로 통증을 평가한다.
2. NRS 4점 이상이면 30분 이내에 담당의에게 보고하십시오.
3. Paracetamol should not exceed 4 g a day in adults.
4. Give oral morphine only after checking the respiratory rate.
5. 호흡수가 분당 10회 미만이면 opioid 투여를 중단해야 한다.
6. Record every dose in the EMR within 15 minutes.

Patients must be reassessed within 1 hour of any rescue dose. 퇴원 시 통증 조절 계획을 환자에게 설명한다.

※ 참고: NRS 척도 설명 자료는 간호부 홈페이지에 있다.
"""
MIXED_ACTIONS = [
    "간호사는 수술 후 4시간마다 NRS로 통증을 평가함",
    "NRS 4점 이상이면 30분 이내에 담당의에게 보고하기",
    "Do not exceed 4 g a day in adults",
    "Give oral morphine only after checking the respiratory rate",
    "호흡수가 분당 10회 미만이면 opioid 투여를 중단해야 함",
    "Record every dose in the EMR within 15 minutes",
    "Patients must be reassessed within 1 hour of any rescue dose",
    "퇴원 시 통증 조절 계획을 환자에게 설명함",
]


def checklist(text: str) -> list[str]:
    local = LocalProvider()
    return local.make_checklist(local.summarize(text).text, text).items


def test_every_action_of_a_mixed_guideline_in_order_with_its_numbers():
    assert checklist(MIXED_GUIDELINE) == MIXED_ACTIONS


def test_the_checklist_holds_what_the_summary_left_out():
    local = LocalProvider(max_summary_sentences=1)
    summary = local.summarize(MIXED_GUIDELINE).text
    items = local.make_checklist(summary, MIXED_GUIDELINE).items
    assert len(items) == len(MIXED_ACTIONS) > len(local.make_checklist(summary).items)


def test_the_chain_hands_the_text_to_the_checklist_step():
    local = LocalProvider(max_summary_sentences=1)
    summary, _ = run_summary(local, None, "job-1", MIXED_GUIDELINE)
    step, _ = run_checklist(local, None, "job-1", summary.output["summary"], MIXED_GUIDELINE)
    assert step.output["checklist"] == MIXED_ACTIONS


def test_over_the_cap_the_summarys_items_stay_first_in_text_order():
    text = "\n".join(f"- Check extinguisher {n} every 2 weeks." for n in range(6))
    local = LocalProvider(max_items=3)
    items = local.make_checklist("- Check extinguisher 4 every 2 weeks.", text).items
    assert items == [
        "Check extinguisher 0 every 2 weeks",
        "Check extinguisher 1 every 2 weeks",
        "Check extinguisher 4 every 2 weeks",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Background\nSepsis kills more patients than most cancers. Staff must know this.",
        "Note: posters are available on the intranet.",
        "You may carry over up to 5 unused days.",
        "You are not required to change your password on a schedule.",
        "| Hotel, London | £180 |\n| Hotel, elsewhere | £120 |",
        "Gloves do not replace hand hygiene.",
        "The security team reviews this standard every 12 months.",
        '제2조(정의) "관리감독자"란 작업을 직접 지휘하는 사람을 말한다.',
        "노로바이러스는 영하 20도에서도 오래 살아남습니다.",
        "소방 훈련은 매년 두 번 실시됩니다.",
        "작년에는 사고가 12건 발생했다.",
        "자세한 내용은 사내 포털을 참고하세요.",
    ],
)
def test_background_notes_permissions_tables_and_descriptions_are_not_items(text):
    local = LocalProvider()
    units_text = f"Guideline\n\n{text}\n\nWash your hands."
    assert local.make_checklist("Wash your hands.", units_text).items == ["Wash your hands"]


def test_list_fragments_under_an_instruction_are_items():
    text = "Clean your hands at each of these moments:\n- before touching a patient;\n- after body fluid exposure."
    assert checklist(text) == ["Before touching a patient", "After body fluid exposure"]


def test_fragments_under_a_description_are_not():
    text = "Signs of phishing include:\n- an unknown sender\n- an urgent tone\n\nReport phishing to IT."
    assert checklist(text) == ["Report phishing to IT"]


@pytest.mark.parametrize(
    ("clause", "kind"),
    [
        ("출입증을 패용하십시오", IMPERATIVE),
        ("출입증을 패용해야 합니다", OBLIGATION),
        ("포크에 사람을 태우지 않습니다", OBLIGATION),
        ("호출벨은 손이 닿는 곳에 둔다", RULE),
        ("사용한 장갑은 비닐봉지에 밀봉하여 버립니다", RULE),
        ("정문 앞 광장으로 모입니다", RULE),
        ("복통이 나타납니다", DESCRIPTIVE),
        ("사고가 많습니다", DESCRIPTIVE),
        ("주요 원인입니다", DESCRIPTIVE),
        ("신고할 수 있다", DESCRIPTIVE),
        ("사원증 패용", NOMINAL),
    ],
)
def test_korean_clauses_are_told_apart_by_their_predicate(clause, kind):
    assert clause_kind(clause) == kind


@pytest.mark.parametrize(
    ("clause", "item"),
    [
        ("도구는 제자리에 둡니다", "도구는 제자리에 둠"),
        ("라벨을 직접 만든다", "라벨을 직접 만듦"),
        ("안내 방송을 듣는다", "안내 방송을 들음"),
        ("대상자를 명단에 올려 두며", "대상자를 명단에 올려 둠"),
        ("보고서를 제출해야 합니다", "보고서를 제출해야 함"),
        ("자료를 반출하지 마십시오", "자료를 반출하지 않기"),
    ],
)
def test_korean_items_take_the_nominal_form_of_irregular_verbs_too(clause, item):
    assert korean_item(clause) == item


def test_numbers_units_and_deadlines_are_kept_word_for_word():
    text = (
        "Dosing\n\nTake no more than 2 g a day. Report side effects within 2 weeks. "
        "보존식은 -18℃ 이하에서 144시간 보관한다."
    )
    assert checklist(text) == [
        "Take no more than 2 g a day",
        "Report side effects within 2 weeks",
        "보존식은 -18℃ 이하에서 144시간 보관함",
    ]


def test_a_unit_letter_after_a_number_ends_its_sentence_but_an_initial_does_not():
    text = "Store raw meat below 5 C. Clean surfaces after use. Patients with C. difficile need soap and water."
    assert checklist(text) == ["Store raw meat below 5 C", "Clean surfaces after use"]
    assert split_sentences("Give 2 g. Then call J. Smith on 2222.") == ["Give 2 g.", "Then call J. Smith on 2222."]


def test_a_verb_that_takes_of_is_an_instruction_a_noun_before_of_is_not():
    text = (
        "Wash hands before every patient contact. Dispose of sharps in the yellow container within 2 minutes of use. "
        "Beware of wet floors. Review of the policy takes place yearly."
    )
    assert checklist(text) == [
        "Wash hands before every patient contact",
        "Dispose of sharps in the yellow container within 2 minutes of use",
        "Beware of wet floors",
    ]
