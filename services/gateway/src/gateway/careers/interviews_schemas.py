"""Request and response shapes of /api/interviews."""

import marshmallow as ma

from gateway.careers.interviews_rules import ANSWER_MAX, current_question
from gateway.careers.models import CAREER_STATUSES
from gateway.fastpaths.dump import FastDumpSchema
from gateway.platform.fields import Text
from gateway.platform.http import PageSchema

PHASES = ("opening", "answering", "finishing", "finished")
QUESTION_ID = "0b5c8f9e-5a43-4f0e-9a2b-6f1d3c2e7a10"


def error_of(work) -> dict | None:
    return None if work.error is None else {"reason": work.error, "code": work.error_code}


def _id_of(turn) -> str | None:
    return None if turn is None else str(turn.id)


def _links(own: str) -> dict:
    return {"self": own, "answers": f"{own}/answers", "finish": f"{own}/finish"}


class InterviewCreateSchema(ma.Schema):
    resume_id = ma.fields.UUID(
        required=True,
        metadata={"description": "One of your résumés", "example": "3f0c2a7e-8d1b-4c55-9e0a-2b6d7f4e1c90"},
    )
    posting_id = ma.fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "One of your job postings: the questions aim at it",
            "example": "7a2e4d10-1b3c-4f6a-8e9d-0c5b2a7f3e61",
        },
    )


class AnswerCreateSchema(ma.Schema):
    question_id = ma.fields.UUID(
        required=True, metadata={"description": "The interview's `current_question_id`", "example": QUESTION_ID}
    )
    answer = Text(
        required=True,
        validate=ma.validate.Length(min=1, max=ANSWER_MAX),
        metadata={
            "description": f"Your answer: not blank, at most {ANSWER_MAX} characters",
            "example": "I split the monolith's billing module out behind a queue, which cut checkout errors by 40%.",
        },
    )

    @ma.validates("answer")
    def _not_blank(self, value: str, **_):
        if not value.strip():
            raise ma.ValidationError("Must not be empty or only whitespace.")


class TurnSchema(FastDumpSchema):
    """One question, your answer to it and its evaluation."""

    question_id = ma.fields.UUID(attribute="id", metadata={"example": QUESTION_ID})
    position = ma.fields.Integer(metadata={"example": 1})
    competence = ma.fields.String(allow_none=True, metadata={"example": "problem solving"})
    question = ma.fields.String(metadata={"example": "Tell me about a system you made more reliable."})
    answer = ma.fields.String(allow_none=True)
    evaluation = ma.fields.String(allow_none=True, metadata={"example": "Concrete and measured; name the trade-offs."})
    score = ma.fields.Integer(allow_none=True, metadata={"description": "0-100", "example": 78})
    asked_at = ma.fields.DateTime()
    answered_at = ma.fields.DateTime(allow_none=True)


class CompetenceScoreSchema(FastDumpSchema):
    competence = ma.fields.String(metadata={"example": "communication"})
    score = ma.fields.Integer(metadata={"example": 82})


class InterviewSchema(FastDumpSchema):
    """A mock interview as its owner sees it: the conversation in order and, once finished, the verdict."""

    id = ma.fields.UUID()
    status = ma.fields.String(
        metadata={"enum": list(CAREER_STATUSES), "description": "The status of the step running or run last"}
    )
    phase = ma.fields.String(
        metadata={
            "enum": list(PHASES),
            "description": "opening: the first question is coming; answering: answer `current_question_id` "
            "(none once the questions are over: finish); finishing: the overall evaluation is coming",
        }
    )
    step = ma.fields.Integer(metadata={"description": "Steps asked of the AI so far (open, each answer, finish)"})
    resume_id = ma.fields.UUID(allow_none=True, metadata={"description": "Null once the résumé is deleted"})
    posting_id = ma.fields.UUID(allow_none=True)
    resume_title = ma.fields.String(metadata={"example": "Backend engineer, 5 years"})
    company = ma.fields.String(allow_none=True, metadata={"example": "Kakao"})
    current_question_id = ma.fields.Function(
        lambda interview: _id_of(current_question(interview)),
        allow_none=True,
        metadata={"description": "The question waiting for your answer; null while a step runs or when none is"},
    )
    question_count = ma.fields.Function(lambda interview: len(interview.turns))
    turns = ma.fields.List(ma.fields.Nested(TurnSchema))
    total_score = ma.fields.Integer(allow_none=True, metadata={"example": 76})
    scores = ma.fields.List(
        ma.fields.Nested(CompetenceScoreSchema), allow_none=True, metadata={"description": "Per competence"}
    )
    overall = ma.fields.String(allow_none=True, metadata={"example": "Strong on ownership; practise brevity."})
    error = ma.fields.Function(
        lambda interview: (
            None if interview.error is None else {"reason": interview.error, "code": interview.error_code}
        ),
        allow_none=True,
    )
    attempts = ma.fields.Integer()
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    finished_at = ma.fields.DateTime(allow_none=True)
    links = ma.fields.Function(lambda interview: _links(f"/api/interviews/{interview.id}"))


class InterviewListItemSchema(InterviewSchema):
    """An interview in a list: everything but its turns."""

    class Meta:
        exclude = ("turns",)


class InterviewPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(InterviewListItemSchema))
