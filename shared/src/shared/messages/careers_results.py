"""The JSON Schemas a careers task's result must match: checked by the worker before it reports, and by the gateway.

They are also what the `openai` provider sends as its structured-output response format, so they keep to the
subset OpenAI's strict mode accepts (shared.messages.schema_kit).
"""

from typing import Any

from shared.messages.schema_kit import DATE, SCORE, ResultSchemas, array, enum, obj, optional, text

DIVISIONS = ("1", "2", "3", "4")  # strengths, must fix, suggestions, further recommendations
PRIORITIES = ("1", "2", "3")  # essential, important, extra (the study_priority codes)
QUESTION = obj(competence=text(40), question=text(1000))


def _up_to(max_length: int) -> dict[str, Any]:
    return optional({"type": "string", "maxLength": max_length})


def _dated(**properties: Any) -> dict[str, Any]:
    return obj(**properties, start_date=DATE, end_date=optional(DATE))


FEEDBACK = obj(
    parent_content=text(50_000),
    matching_rate=SCORE,
    feedback_contents=array(obj(division=enum(*DIVISIONS), result=text(2000)), max_items=40, min_items=1),
)

REWRITE = obj(
    title=text(100),
    self_introduction=_up_to(5000),
    experiences=array(
        _dated(
            job_title=text(100),
            department=_up_to(100),
            position=_up_to(100),
            job_description=_up_to(1000),
            employment_status={"type": "boolean"},
        ),
        max_items=50,
    ),
    educations=array(
        _dated(organ=text(100), department=_up_to(100), degree_level=_up_to(10), score=_up_to(50)), max_items=50
    ),
    projects=array(_dated(title=text(100), description=_up_to(500)), max_items=50),
    activities=array(_dated(title=text(100), description=_up_to(500)), max_items=50),
    qualifications=array(
        obj(title=text(100), acquisition_date=DATE, score=_up_to(50), organ=_up_to(100)), max_items=50
    ),
    technology_stacks=array(obj(name=text(100)), max_items=50),
)

INTERVIEW_OPEN = obj(question=QUESTION)
INTERVIEW_ANSWER = obj(evaluation=text(2000), score=SCORE, next_question=optional(QUESTION))
INTERVIEW_FINISH = obj(
    total_score=SCORE,
    scores=array(obj(competence=text(40), score=SCORE), max_items=20, min_items=1),
    overall=text(4000),
)

STUDY_GUIDE = obj(
    title=text(100),
    description=text(1000),
    items=array(
        obj(
            title=text(100),
            content=text(1000),
            keywords=array(text(50), max_items=10),
            priority=enum(*PRIORITIES),
            estimated_hours={"type": "integer", "minimum": 1, "maximum": 500},
        ),
        max_items=30,
        min_items=1,
    ),
)

# task (and, for an interview, its action) -> the schema of its result
RESULTS = ResultSchemas(
    {
        "feedback": FEEDBACK,
        "rewrite": REWRITE,
        "interview.open": INTERVIEW_OPEN,
        "interview.answer": INTERVIEW_ANSWER,
        "interview.finish": INTERVIEW_FINISH,
        "study_guide": STUDY_GUIDE,
    }
)
RESULT_SCHEMAS = RESULTS.schemas
result_problems = RESULTS.problems
