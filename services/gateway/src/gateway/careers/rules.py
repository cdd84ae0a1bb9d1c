"""The careers line's pure rules: the code table (Korean and English labels), the limits of a résumé and a
posting, and the order of dates.

The codes are the original system's (its seed_data/codes.csv), with English labels added; the divisions are
named as the API's fields use them (`military_service`, `degree` for `degree_level`).
"""

import dataclasses
from datetime import date


@dataclasses.dataclass(frozen=True)
class Label:
    ko: str
    en: str


CODES: dict[str, dict[str, Label]] = {
    "feedback_division": {
        "1": Label("잘된 부분", "Strengths"),
        "2": Label("필수 수정사항", "Must fix"),
        "3": Label("개선 제안사항", "Suggestions"),
        "4": Label("추가 권장사항", "Further recommendations"),
    },
    "resume_type": {
        "1": Label("일반이력서", "General résumé"),
        "2": Label("기업별첨삭이력서", "Résumé revised for a posting"),
        "3": Label("일반첨삭이력서", "Résumé revised from general feedback"),
    },
    "gender": {"1": Label("남성", "Male"), "2": Label("여성", "Female")},
    "military_service": {
        "1": Label("면제", "Exempt"),
        "2": Label("군필", "Served"),
        "3": Label("미필", "Not yet served"),
        "4": Label("공익", "Social service"),
        "5": Label("병역특례", "Alternative service"),
        "6": Label("해당없음", "Not applicable"),
    },
    "degree": {
        "1": Label("고졸", "High school"),
        "2": Label("전문학사", "Associate degree"),
        "3": Label("학사", "Bachelor's degree"),
        "4": Label("석사", "Master's degree"),
        "5": Label("박사", "Doctorate"),
    },
    "study_priority": {
        "1": Label("필수 기술", "Essential"),
        "2": Label("중요 기술", "Important"),
        "3": Label("추가 학습", "Extra study"),
    },
    "interview_feedback": {
        "1": Label("잘된 부분", "Strengths"),
        "2": Label("개선 제안", "Suggestions"),
        "3": Label("추가 권장사항", "Further recommendations"),
    },
}
DIVISIONS = tuple(CODES)
GENERAL_RESUME = "1"  # the resume_type of a résumé written by hand

# A résumé
TITLE_MAX = 100
NAME_MAX = 50
EMAIL_MAX = 254
PHONE_MAX = 30
ADDRESS_MAX = 200
SELF_INTRODUCTION_MAX = 5000
ITEM_NAME_MAX = 100  # a job title, department, organ, project or qualification title, a technology
JOB_DESCRIPTION_MAX = 1000
DESCRIPTION_MAX = 500  # a project's or an activity's
SCORE_MAX = 50
SECTION_ITEMS_MAX = 50
SECTIONS = ("experiences", "educations", "projects", "activities", "qualifications", "technology_stacks")

# A job posting
POSTING_TITLE_MAX = 30
COMPANY_MAX = 30
REQUIREMENTS_MAX = 300  # qualification, prefer
URL_MAX = 1000
POSTINGS_PAGE_SIZE = 6  # the original's default page

# A photo
PHOTO_FORMATS = ("PNG", "JPEG")
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MIN_SIDE = 32
PHOTO_MAX_SIDE = 4096
PHOTO_URL_SECONDS = 3600


def codes(division: str) -> tuple[str, ...]:
    """The known codes of a division (KeyError for an unknown division)."""
    return tuple(CODES[division])


def label(division: str, code: str | None) -> Label | None:
    """The labels of a code, or None for an unknown one."""
    return CODES.get(division, {}).get(code) if code is not None else None


def dates_problem(start: date | None, end: date | None) -> str | None:
    """Why an item's end date cannot follow its start date, or None."""
    if start is not None and end is not None and end < start:
        return f"Must be on or after start_date ({start.isoformat()})."
    return None
