"""The JSON Schemas a careers task's result must match: checked by the worker before it reports, and by the gateway.

They are also what the `openai` provider sends as its structured-output response format, so they keep to the
subset OpenAI's strict mode accepts (every property required, `additionalProperties: false`; optional values
are `null`-able instead of absent).
"""

from typing import Any

import jsonschema

DIVISIONS = ("1", "2", "3", "4")  # strengths, must fix, suggestions, further recommendations
PRIORITIES = ("1", "2", "3")  # essential, important, extra (the study_priority codes)


def _object(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


def _text(max_length: int) -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "maxLength": max_length}


def _optional(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


SCORE = {"type": "integer", "minimum": 0, "maximum": 100}
DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
QUESTION = _object(competence=_text(40), question=_text(1000))

FEEDBACK = _object(
    parent_content=_text(50_000),
    matching_rate=SCORE,
    feedback_contents={
        "type": "array",
        "minItems": 1,
        "maxItems": 40,
        "items": _object(division={"type": "string", "enum": list(DIVISIONS)}, result=_text(2000)),
    },
)


def _dated(**properties: Any) -> dict[str, Any]:
    return _object(**properties, start_date=DATE, end_date=_optional(DATE))


def _items(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "maxItems": 50, "items": item}


REWRITE = _object(
    title=_text(100),
    self_introduction=_optional({"type": "string", "maxLength": 5000}),
    experiences=_items(
        _dated(
            job_title=_text(100),
            department=_optional({"type": "string", "maxLength": 100}),
            position=_optional({"type": "string", "maxLength": 100}),
            job_description=_optional({"type": "string", "maxLength": 1000}),
            employment_status={"type": "boolean"},
        )
    ),
    educations=_items(
        _dated(
            organ=_text(100),
            department=_optional({"type": "string", "maxLength": 100}),
            degree_level=_optional({"type": "string", "maxLength": 10}),
            score=_optional({"type": "string", "maxLength": 50}),
        )
    ),
    projects=_items(_dated(title=_text(100), description=_optional({"type": "string", "maxLength": 500}))),
    activities=_items(_dated(title=_text(100), description=_optional({"type": "string", "maxLength": 500}))),
    qualifications=_items(
        _object(
            title=_text(100),
            acquisition_date=DATE,
            score=_optional({"type": "string", "maxLength": 50}),
            organ=_optional({"type": "string", "maxLength": 100}),
        )
    ),
    technology_stacks=_items(_object(name=_text(100))),
)

INTERVIEW_OPEN = _object(question=QUESTION)
INTERVIEW_ANSWER = _object(evaluation=_text(2000), score=SCORE, next_question=_optional(QUESTION))
INTERVIEW_FINISH = _object(
    total_score=SCORE,
    scores={"type": "array", "minItems": 1, "maxItems": 20, "items": _object(competence=_text(40), score=SCORE)},
    overall=_text(4000),
)

STUDY_GUIDE = _object(
    title=_text(100),
    description=_text(1000),
    items={
        "type": "array",
        "minItems": 1,
        "maxItems": 30,
        "items": _object(
            title=_text(100),
            content=_text(1000),
            keywords={"type": "array", "maxItems": 10, "items": _text(50)},
            priority={"type": "string", "enum": list(PRIORITIES)},
            estimated_hours={"type": "integer", "minimum": 1, "maximum": 500},
        ),
    },
)

# task (and, for an interview, its action) -> the schema of its result
RESULT_SCHEMAS: dict[str, dict[str, Any]] = {
    "feedback": FEEDBACK,
    "rewrite": REWRITE,
    "interview.open": INTERVIEW_OPEN,
    "interview.answer": INTERVIEW_ANSWER,
    "interview.finish": INTERVIEW_FINISH,
    "study_guide": STUDY_GUIDE,
}
_VALIDATORS = {name: jsonschema.Draft202012Validator(schema) for name, schema in RESULT_SCHEMAS.items()}


def result_problems(kind: str, result: Any) -> list[str]:
    """Why `result` is not a valid result of `kind` (a RESULT_SCHEMAS key): an empty list when it is."""
    validator = _VALIDATORS[kind]
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
        for error in validator.iter_errors(result)
    ]
