"""The offline `local` provider on realistic English and Korean guidelines: useful, faithful and deterministic."""

import re

import pytest

from llm_worker.providers.base import PermanentProviderError
from llm_worker.providers.compress import clauses
from llm_worker.providers.extractive import pick, translations
from llm_worker.providers.local import LocalProvider, estimate_tokens
from llm_worker.providers.segment import split_units

EN_TITLE = "Workplace Safety Guideline"
EN_PARAGRAPHS = [
    [
        "This guideline applies to all employees, contractors and visitors at the Riverside plant.",
        "It describes the minimum safety practices expected on the production floor, e.g. in the assembly areas.",
    ],
    [
        "All workers must wear safety glasses and steel-toed boots on the production floor.",
        "Hearing protection is required in areas where noise exceeds 85 dB.",
        "Dr. Lee from occupational health reviews the PPE list every 3.5 months.",
    ],
    [
        "If you see a spill, you must report it to your supervisor immediately.",
        "Employees should never remove machine guards.",
        "Near misses are useful learning opportunities.",
        "They are discussed at the weekly safety meeting.",
    ],
    [
        "In case of fire, evacuate the building using the nearest marked exit.",
        "Do not use the elevators during an evacuation.",
        "Visitors must sign in at the front desk and must be escorted at all times.",
        "The assembly point is the north car park.",
    ],
]
EN_OBLIGATIONS = {
    "All workers must wear safety glasses and steel-toed boots on the production floor.",
    "Hearing protection is required in areas where noise exceeds 85 dB.",
    "If you see a spill, you must report it to your supervisor immediately.",
    "Employees should never remove machine guards.",
    "In case of fire, evacuate the building using the nearest marked exit.",
    "Do not use the elevators during an evacuation.",
    "Visitors must sign in at the front desk and must be escorted at all times.",
}
EN_TEXT = EN_TITLE + "\n\n" + "\n\n".join(" ".join(paragraph) for paragraph in EN_PARAGRAPHS)
EN_SENTENCES = [sentence for paragraph in EN_PARAGRAPHS for sentence in paragraph]

KO_TITLE = "개인정보 처리 지침"
KO_PARAGRAPHS = [
    [
        "이 지침은 회사가 고객과 임직원의 개인정보를 안전하게 처리하기 위한 기준을 정합니다.",
        "모든 임직원은 이 지침을 준수해야 합니다.",
    ],
    [
        "개인정보는 업무상 필요한 최소한의 범위에서만 수집해야 합니다.",
        "수집한 개인정보는 암호화하여 저장해야 하며, 보관 기간이 지나면 지체 없이 파기해야 합니다.",
        "개인정보가 담긴 문서는 잠금 장치가 있는 서랍에 보관하십시오.",
        "개인정보를 개인 이메일이나 메신저로 전송하지 마십시오.",
    ],
    [
        "개인정보 유출 사고가 발생하면 즉시 정보보호팀에 신고해야 합니다.",
        "정보보호팀은 매년 개인정보 처리 현황을 점검합니다.",
        "교육 자료는 사내 포털에서 확인할 수 있습니다.",
    ],
]
KO_OBLIGATIONS = {
    "모든 임직원은 이 지침을 준수해야 합니다.",
    "개인정보는 업무상 필요한 최소한의 범위에서만 수집해야 합니다.",
    "수집한 개인정보는 암호화하여 저장해야 하며, 보관 기간이 지나면 지체 없이 파기해야 합니다.",
    "개인정보가 담긴 문서는 잠금 장치가 있는 서랍에 보관하십시오.",
    "개인정보를 개인 이메일이나 메신저로 전송하지 마십시오.",
    "개인정보 유출 사고가 발생하면 즉시 정보보호팀에 신고해야 합니다.",
}
KO_TEXT = KO_TITLE + "\n\n" + "\n\n".join("\n".join(paragraph) for paragraph in KO_PARAGRAPHS)
KO_SENTENCES = [sentence for paragraph in KO_PARAGRAPHS for sentence in paragraph]

KO_ACCESS_TEXT = """출입 보안 지침

제2조 (임직원 출입)
1. 임직원은 건물 출입 시 반드시 사원증을 패용해야 한다.
2. 사원증을 분실한 경우 즉시 보안팀에 신고하십시오.
3. 타인에게 사원증을 빌려주지 마십시오.

제3조 (방문객 관리)
방문객은 담당 직원과 항상 동행해야 하며, 보안 구역에는 출입할 수 없습니다.
방문증은 퇴실 시 안내 데스크에 반납해 주세요.
"""

BULLET_ITEMS = [
    "Wear a lab coat and closed shoes.",
    "Put on safety goggles before handling chemicals.",
    "Never eat or drink in the lab.",
    "Label every container with its contents and date.",
    "Report spills to the lab manager.",
    "Wash your hands when you leave the lab.",
]
BULLET_TEXT = "Before entering the lab, you must:\n" + "\n".join(
    f"{marker} {item}" for marker, item in zip(["-", "*", "•", "1.", "2)", "-"], BULLET_ITEMS, strict=True)
)

MIXED_SENTENCES = [
    "모든 직원은 퇴근 시 책상 위의 문서를 잠금 서랍에 보관해야 합니다.",
    "Employees must use the company VPN when working remotely.",
    "사내 Wi-Fi 비밀번호를 외부인에게 공유하지 마십시오.",
    "The IT team publishes a newsletter every month.",
    "Laptops should be locked with a cable in shared spaces.",
    "점심 메뉴는 매주 월요일에 공지됩니다.",
]
MIXED_TEXT = "사무실 보안 수칙 (Office security rules)\n\n" + " ".join(MIXED_SENTENCES)

TRAILING_JUNK = re.compile(r"[.!?。\s]$")
LEADING_BULLET = re.compile(r"^(?:[-*•]|\d+[.)])\s")


def provider(**kwargs) -> LocalProvider:
    return LocalProvider(**kwargs)


def picked(summary: str, sentences: list[str]) -> list[str]:
    """The known sentences the summary is made of (whole or one of their clauses), in summary order; fails if anything
    else is left over."""
    pieces = {piece: s for s in sentences for piece in (*clauses(s), s)}
    found, leftover = [], summary
    for piece in sorted(pieces, key=len, reverse=True):
        if piece in leftover:
            found.append((summary.find(piece), pieces[piece]))
            leftover = leftover.replace(piece, "", 1)
    assert leftover.replace("- ", "").strip() == "", f"not made of text sentences: {leftover!r}"
    return list(dict.fromkeys(sentence for _, sentence in sorted(found)))


def assert_clean_items(items: list[str], max_items: int = 10) -> None:
    assert items, "checklist is empty"
    assert len(items) <= max_items
    assert len({item.casefold() for item in items}) == len(items), f"duplicates in {items}"
    for item in items:
        assert item == item.strip() and item, f"blank or padded item {item!r}"
        assert not TRAILING_JUNK.search(item), f"trailing punctuation in {item!r}"
        assert not LEADING_BULLET.match(item), f"leading bullet in {item!r}"


def test_the_provider_names_itself():
    local = provider()
    summary = local.summarize(EN_TEXT)
    checklist = local.make_checklist(summary.text)
    assert (local.name, local.model) == ("local", "extractive-v1")
    assert (summary.provider, summary.model, checklist.provider, checklist.model) == ("local", "extractive-v1") * 2


def test_english_summary_is_at_most_half_the_text_made_of_its_sentences_in_text_order():
    summary = provider().summarize(EN_TEXT).text
    sentences = picked(summary, EN_SENTENCES)
    assert len(summary.split()) <= len(EN_TEXT.split()) / 2
    assert 3 <= len(sentences) <= 7
    assert "Hearing protection is required in areas where noise exceeds 85 dB." in sentences  # a rule with a number
    assert len(set(sentences) & EN_OBLIGATIONS) >= 3
    assert sentences == [s for s in EN_SENTENCES if s in sentences], "summary sentences are out of text order"
    assert EN_TITLE not in summary and "Near misses are useful learning opportunities." not in summary


def test_english_checklist_turns_obligations_into_imperatives():
    local = provider()
    items = local.make_checklist(local.summarize(EN_TEXT).text).items
    assert_clean_items(items)
    assert "Wear safety glasses and steel-toed boots on the production floor" in items
    assert "Never remove machine guards" in items


def test_korean_summary_is_shorter_and_made_of_obligation_sentences_in_text_order():
    summary = provider().summarize(KO_TEXT).text
    sentences = picked(summary, KO_SENTENCES)
    assert len(summary.split()) <= len(KO_TEXT.split()) / 2
    assert 2 <= len(sentences) <= 5
    assert set(sentences) <= KO_OBLIGATIONS
    assert sentences == [s for s in KO_SENTENCES if s in sentences]


def test_korean_checklist_uses_the_nominal_checklist_style():
    local = provider()
    items = local.make_checklist(local.summarize(KO_TEXT).text, KO_TEXT).items
    assert_clean_items(items, max_items=40)
    assert "개인정보가 담긴 문서는 잠금 장치가 있는 서랍에 보관하기" in items
    assert any(item.endswith("해야 함") for item in items), items
    assert not any(item.endswith(("합니다", "십시오")) for item in items), items


def test_korean_numbered_articles_give_items_without_numbers():
    local = provider()
    summary = local.summarize(KO_ACCESS_TEXT).text
    assert "제2조" not in summary and "1." not in summary
    items = local.make_checklist(summary).items
    assert_clean_items(items)
    assert "임직원은 건물 출입 시 반드시 사원증을 패용해야 함" in items


@pytest.mark.parametrize(
    ("sentence", "item"),
    [
        ("You must wear a badge.", "Wear a badge"),
        ("Visitors should sign in at the front desk.", "Sign in at the front desk"),
        ("Staff must not share passwords.", "Do not share passwords"),
        ("If you see a spill, you must report it immediately.", "If you see a spill, report it immediately"),
        ("It is strictly prohibited to smoke on site.", "Do not smoke on site"),
        ("Personal data must be encrypted at rest.", "Personal data must be encrypted at rest"),
        (
            "Visitors who forget their badge must register at reception.",
            "Visitors who forget their badge must register at reception",
        ),
        ("- Please close the fire door!", "Close the fire door"),
        ("출입증을 패용해야 합니다.", "출입증을 패용해야 함"),
        ("출입증을 패용하십시오.", "출입증을 패용하기"),
        ("자료를 외부로 반출하지 마십시오.", "자료를 외부로 반출하지 않기"),
        ("건물 내 사진 촬영은 금지됩니다.", "건물 내 사진 촬영은 금지됨"),
        ("서류를 보안팀에 제출해 주십시오.", "서류를 보안팀에 제출하기"),
    ],
)
def test_a_single_obligation_becomes_one_readable_item(sentence, item):
    assert provider().make_checklist(sentence).items == [item]


def test_clauses_become_separate_items_and_keep_their_subject():
    items = provider().make_checklist("Visitors must sign in at the desk and must be escorted at all times.").items
    assert items == ["Sign in at the desk", "Visitors must be escorted at all times"]
    items = provider().make_checklist("방문객은 신분증을 제시해야 하며, 퇴실 시 방문증을 반납해야 합니다.").items
    assert items == ["방문객은 신분증을 제시해야 함", "퇴실 시 방문증을 반납해야 함"]


def test_checklist_is_deduplicated_and_capped():
    summary = "\n".join(f"- Check fire extinguisher number {n}." for n in range(45))
    summary += "\n- You must wear a badge.\n-   you MUST wear a badge"
    assert len(provider().make_checklist(summary).items) == 40
    items = provider(max_items=3).make_checklist(summary).items
    assert items == [f"Check fire extinguisher number {n}" for n in range(3)]
    assert provider().make_checklist("You must wear a badge. You  must wear a badge!").items == ["Wear a badge"]


def test_checklist_falls_back_to_the_sentences_when_nothing_is_actionable():
    items = provider().make_checklist("The plant opened in 1998. 공장은 세 개의 건물로 이루어져 있습니다.").items
    assert items == ["The plant opened in 1998", "공장은 세 개의 건물로 이루어져 있음"]


def test_same_input_gives_the_same_output():
    first, second = provider(), provider()
    for text in (EN_TEXT, KO_TEXT, BULLET_TEXT, MIXED_TEXT):
        assert first.summarize(text) == second.summarize(text) == first.summarize(text)
        summary = first.summarize(text).text
        assert first.make_checklist(summary) == second.make_checklist(summary)


def test_ties_are_broken_by_position():
    text = "Check the alarm. Check the door. Check the window. Check the light. Check the gate."
    assert provider(max_summary_sentences=2).summarize(text).text == "Check the alarm. Check the door."


def test_a_single_sentence_is_its_own_summary():
    sentence = "Dr. Kim says workers must lift at most 3.5 kg per hand, e.g. small boxes, at the St. Mary site."
    shortened = "Dr. Kim says workers must lift at most 3.5 kg per hand, at the St. Mary site."  # the examples go
    assert provider().summarize(f"  {sentence}\n").text == shortened
    assert provider().summarize("출입증을 반드시 패용하십시오").text == "출입증을 반드시 패용하십시오"


def test_max_summary_sentences_caps_the_summary():
    summary = provider(max_summary_sentences=1).summarize(EN_TEXT).text
    assert len(picked(summary, EN_SENTENCES)) == 1


def test_bullet_list_summary_keeps_whole_items_on_their_own_lines():
    local = provider()
    summary = local.summarize(BULLET_TEXT).text
    lines = summary.split("\n")
    assert 2 <= len(lines) < len(BULLET_ITEMS)
    assert all(line.startswith("- ") and line[2:] in BULLET_ITEMS for line in lines), lines
    items = local.make_checklist(summary).items
    assert_clean_items(items)
    assert items == [line[2:].rstrip(".") for line in lines]


def test_mixed_korean_and_english_text():
    local = provider()
    summary = local.summarize(MIXED_TEXT).text
    sentences = picked(summary, MIXED_SENTENCES)
    assert "The IT team publishes a newsletter every month." not in sentences
    assert "점심 메뉴는 매주 월요일에 공지됩니다." not in sentences
    items = local.make_checklist(summary).items
    assert_clean_items(items)
    assert "Use the company VPN when working remotely" in items
    assert "사내 Wi-Fi 비밀번호를 외부인에게 공유하지 않기" in items


def test_whitespace_heavy_input_is_normalised():
    text = (
        "\r\n\r\n   Staff   must lock\r\n   their screens   when away.\t\r\n\r\n\r\n"
        "   Passwords   should be   changed every 90 days.  \n \t \n Do not share  passwords.   \n\n\n"
        "Visitors\tmust wear   a badge.\n\n"
    )
    sentences = [
        "Staff must lock their screens when away.",
        "Passwords should be changed every 90 days.",
        "Do not share passwords.",
        "Visitors must wear a badge.",
    ]
    summary = provider().summarize(text).text
    assert len(picked(summary, sentences)) == 2
    assert not re.search(r"\s{2}|\t|\r", summary)
    assert_clean_items(provider().make_checklist(summary).items)


def test_korean_lines_without_final_periods_are_separate_sentences():
    lines = [
        "출입 시 사원증을 패용한다",
        "방문객은 안내 데스크에서 등록하십시오",
        "보안팀은 출입 기록을 보관한다",
        "퇴실 시 방문증을 반납한다",
    ]
    summary_lines = provider().summarize("\n".join(lines)).text.split("\n")
    assert len(summary_lines) == 2 and set(summary_lines) <= set(lines), summary_lines
    items = provider().make_checklist(f"{lines[0]}\n{lines[2]}").items
    assert items == ["출입 시 사원증을 패용함", "보안팀은 출입 기록을 보관함"]


def test_empty_input_is_a_permanent_error():
    with pytest.raises(PermanentProviderError) as raised:
        provider().summarize(" \n\t\n ")
    assert not raised.value.retryable and raised.value.code == "empty_input"
    with pytest.raises(PermanentProviderError):
        provider().make_checklist("   ")


def test_usage_is_estimated_from_words_and_korean_characters():
    assert estimate_tokens("") == 0
    assert estimate_tokens("one two three") == 4  # 3 words * 4/3
    assert estimate_tokens("가나다라") == 2  # 4 characters / 2
    usage = provider().summarize(EN_TEXT).usage
    assert usage.prompt_tokens == estimate_tokens(EN_TEXT)
    assert 0 < usage.completion_tokens < usage.prompt_tokens


def test_a_200_kb_input_completes_with_a_short_summary():
    paragraphs = [
        f"{sentence[:-1]} in building {n}{sentence[-1]}"
        for n in range(600)
        for sentence in (EN_SENTENCES[n % len(EN_SENTENCES)], KO_SENTENCES[n % len(KO_SENTENCES)])
    ]
    text = "\n\n".join(" ".join(paragraphs[i : i + 3]) for i in range(0, len(paragraphs), 3))
    while len(text.encode()) < 200_000:
        text += "\n\n" + text[:20_000]
    local = provider()
    summary = local.summarize(text)
    assert 0 < len(summary.text) < 12 * 400
    assert_clean_items(local.make_checklist(summary.text).items)


def test_a_200_kb_input_without_any_punctuation_completes():
    text = " ".join(f"word{n % 997} 단어{n % 113}" for n in range(25_000))
    summary = provider().summarize(text).text
    assert 0 < len(summary) <= 12 * 400 + 11
    assert all(part in text for part in summary.split("\n"))


def test_summary_sentences_lose_asides_and_examples_but_keep_numbers():
    text = (
        "Work on fragile roofs, including roof lights and cement sheets, needs a permit. "
        "Wear a harness (the yellow one) above 2 m (6 ft). However, report every fall within 24 hours."
    )
    summary = provider().summarize(text).text
    assert "including" not in summary and "yellow" not in summary and "However" not in summary
    assert "(6 ft)" in summary and "Report every fall within 24 hours." in summary


def test_summary_sentences_lose_the_heading_of_their_regulation_article():
    text = (
        "제3조(신고) ① 누구든지 괴롭힘을 알게 된 경우 인사팀에 신고할 수 있다. "
        "제4조(조사) 인사팀은 신고를 접수한 날부터 3일 이내에 조사에 착수하여야 한다."
    )
    summary = provider().summarize(text).text
    assert "제3조" not in summary and "(신고)" not in summary and "제4조" not in summary
    assert "인사팀은 신고를 접수한 날부터 3일 이내에 조사에 착수하여야 한다." in summary


def test_a_korean_sentence_joining_two_rules_is_cut_into_two_whole_sentences():
    sentence = "체감온도가 33도 이상인 경우 휴식 시간을 부여하고, 시원한 물을 제공한다."
    assert clauses(sentence) == ["체감온도가 33도 이상인 경우 휴식 시간을 부여한다.", "시원한 물을 제공한다."]
    assert clauses("키를 비활성화하며, 보안팀에 알립니다.") == ["키를 비활성화합니다.", "보안팀에 알립니다."]
    assert clauses("손을 씻으십시오.") == ["손을 씻으십시오."]


BILINGUAL_NOTICE = """보안 공지 / Security notice

의심 메일은 Outlook의 "피싱 신고" 버튼으로 신고하세요.
Report suspicious emails with the "Report phishing" button in Outlook.
비밀번호를 입력했다면 즉시 변경하고 보안팀(내선 5050)에 연락하세요.
If you entered your password, change it at once and call the security team on extension 5050.
보안팀은 이번 주에 발신 도메인을 차단했습니다.
Visitors must wear a badge at all times.
"""


def test_a_bilingual_notice_is_summarised_once_in_its_main_language_and_listed_in_both():
    local = provider()
    summary = local.summarize(BILINGUAL_NOTICE).text
    assert summary == (
        '의심 메일은 Outlook의 "피싱 신고" 버튼으로 신고하세요. 비밀번호를 입력했다면 즉시 변경하고 '
        "보안팀(내선 5050)에 연락하세요. Visitors must wear a badge at all times."
    )
    items = local.make_checklist(summary, BILINGUAL_NOTICE).items
    assert 'Report suspicious emails with the "Report phishing" button in Outlook' in items
    assert "If you entered your password, change it at once and call the security team on extension 5050" in items


def test_a_translation_is_told_from_a_rule_of_its_own_by_what_it_shares():
    units = split_units(BILINGUAL_NOTICE)
    repeated = {units[i].text: units[j].text for i, j in translations(units).items()}
    assert repeated == {
        'Report suspicious emails with the "Report phishing" button in Outlook.': (
            '의심 메일은 Outlook의 "피싱 신고" 버튼으로 신고하세요.'
        ),
        "If you entered your password, change it at once and call the security team on extension 5050.": (
            "비밀번호를 입력했다면 즉시 변경하고 보안팀(내선 5050)에 연락하세요."
        ),
    }
    assert translations(split_units(EN_TEXT)) == {}


def summary_texts(text: str) -> list[str]:
    """The texts of the units the summary picks from `text` (no clause found actionable beforehand)."""
    return [unit.text for unit in pick(split_units(text), 12, acting=set())]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        (
            "회사 코드는 회사 저장소에 있습니다. 회사 저장소는 세 종류가 있습니다. 개인 계정의 저장소에 회사 코드를 "
            "올리는 것은 금지됩니다. 회사 코드 리뷰 방식은 팀마다 다릅니다. 회사 저장소의 구조는 단순합니다.",
            "개인 계정의 저장소에 회사 코드를 올리는 것은 금지됩니다.",
        ),
        (
            "Company code lives in company repositories. Company repositories come in three kinds. Alcohol is not "
            "reimbursed. Company code review differs by team. The structure of company repositories is simple.",
            "Alcohol is not reimbursed.",
        ),
    ],
)
def test_a_prohibition_in_its_own_words_is_a_rule_for_the_summary_even_when_no_item_is_found_in_it(text, rule):
    picked_texts = summary_texts(text)
    assert rule in picked_texts and len(picked_texts) == 2


@pytest.mark.parametrize(
    ("text", "summary"),
    [
        (
            "소화기는 층마다 비치되어 있습니다. 작년에는 화재 신고가 많았습니다. 화재를 발견하면 비상벨을 누릅니다. "
            "대피할 때에는 계단을 이용합니다. 연기가 나면 낮은 자세로 이동합니다.",
            "화재를 발견하면 비상벨을 누릅니다. 대피할 때에는 계단을 이용합니다.",
        ),
        (
            "우리 사옥에는 계단이 두 곳 있습니다. 화재를 발견하면 비상벨을 누르십시오. "
            "대피할 때에는 엘리베이터를 이용하지 말고 계단을 이용하십시오. 건물 밖 집결지로 모이십시오.",
            "화재를 발견하면 비상벨을 누르십시오. 대피할 때에는 엘리베이터를 이용하지 말고 계단을 이용하십시오.",
        ),
    ],
)
def test_korean_sentences_about_what_there_is_or_what_happened_give_way_to_rules(text, summary):
    assert provider().summarize(text).text == summary


def test_table_rows_that_set_limits_are_kept_in_the_summary():
    text = (
        "Travel expenses\n\n"
        "Book rail travel through the travel portal before you travel.\n"
        "Claims for travel are checked by the finance team each month.\n"
        "The finance team publishes the travel policy on the intranet.\n\n"
        "| Item | Limit |\n| Hotel, per night | £120 |\n| Evening meal | £35 |\n\n"
        "Travel policy questions go to the finance team."
    )
    picked_texts = summary_texts(text)
    assert "| Hotel, per night | £120 |" in picked_texts and "| Evening meal | £35 |" in picked_texts


def test_a_notice_translated_block_by_block_pairs_its_sentences_without_shared_words():
    text = (
        "공장 안전수칙 / Factory rules\n\n"
        "작업복과 안전화를 착용하고 작업장에 들어갑니다.\n"
        "Put on your work clothes and safety shoes before you enter the work area.\n"
        "기계가 움직이는 동안 손을 넣지 마십시오.\n"
        "청소할 때에는 전원을 끄십시오.\n"
        "Never put your hands into a machine while it is moving.\n"
        "Switch off the power before cleaning.\n"
        "25kg이 넘는 물건은 두 사람이 함께 듭니다.\n"
        "Objects over 25 kg are lifted by two people.\n"
    )
    units = split_units(text)
    repeated = {units[i].text: units[j].text for i, j in translations(units).items()}
    assert repeated == {
        "Put on your work clothes and safety shoes before you enter the work area.": (
            "작업복과 안전화를 착용하고 작업장에 들어갑니다."
        ),
        "Never put your hands into a machine while it is moving.": "기계가 움직이는 동안 손을 넣지 마십시오.",
        "Switch off the power before cleaning.": "청소할 때에는 전원을 끄십시오.",
        "Objects over 25 kg are lifted by two people.": "25kg이 넘는 물건은 두 사람이 함께 듭니다.",
    }


def test_table_rows_whose_only_digits_are_labels_are_not_limits():
    text = (
        "Incident levels\n\n"
        "Report every incident to the service desk at once.\n"
        "The service desk classifies every incident by its level.\n"
        "The service desk informs the security team of every incident.\n\n"
        "| Level | Meaning |\n| P1 | Critical outage of the service |\n| P2 | Limited outage of the service |\n\n"
        "The security team reviews every incident with the service desk."
    )
    picked_texts = summary_texts(text)
    assert not any(text.startswith("| P") for text in picked_texts)


def test_a_sentence_that_leads_into_a_list_gives_way_to_the_rules():
    text = (
        "Needle injuries\n\n"
        "If you are injured by a used needle or sharp, or splashed in the eyes or mouth with blood:\n\n"
        "- Encourage the wound to bleed gently.\n"
        "- Wash the wound with running water and soap.\n"
        "- Cover the wound with a waterproof dressing.\n\n"
        "Report the wound to your manager at once.\n"
        "Complete an incident report about the wound before the end of the shift."
    )
    picked_texts = summary_texts(text)
    assert not any(text.endswith(":") for text in picked_texts)


def test_a_limit_stated_as_a_fact_is_a_rule_for_the_summary():
    text = (
        "운행\n\n"
        "- 운전자는 운행 전에 운행 일지를 확인해야 합니다.\n"
        "- 센터 내 제한 속도는 시속 10km입니다.\n"
        "- 경사로에서는 화물이 위쪽을 향하게 하여 운행해야 합니다.\n"
        "- 운행 중에는 정해진 운행 경로를 지켜야 합니다.\n"
        "- 운행을 마치면 운행 일지에 운행 시간을 적어야 합니다."
    )
    picked_texts = summary_texts(text)
    assert "센터 내 제한 속도는 시속 10km입니다." in picked_texts
