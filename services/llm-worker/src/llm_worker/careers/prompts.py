"""What the `openai` provider asks for each careers task; the response format (the task's JSON Schema) does the rest."""

import json

from llm_worker.careers.port import CareersRequest
from llm_worker.careers.resume import read_posting, read_resume

LANGUAGES = {"ko": "Korean", "en": "English"}
COMMON = (
    "You are a senior recruiter and career coach. Reply only with JSON matching the response schema. Write every "
    "text in {language}. Be concrete: name the résumé item, skill or date each point is about. Never invent facts "
    "the résumé does not give."
)
COMPETENCES = "technical depth, problem solving, collaboration, motivation, growth"
TASKS = {
    "feedback": (
        "Review the résumé (against the job posting, when one is given). parent_content: the résumé as Markdown. "
        "matching_rate: 0-100, the share of the posting's required (qualification) and preferred (prefer) skills "
        "the résumé shows, required ones weighing more; without a posting, how complete and concrete the résumé is. "
        "feedback_contents: points {{division, result}}: '1' strengths (matched skills, quantified results), '2' must "
        "fix (missing required skills, empty or thin sections, an end date before its start, gaps over six months, "
        "overlapping jobs), '3' suggestions (descriptions without numbers, weak verbs, a long unstructured "
        "self-introduction), '4' further recommendations (preferred skills to add, certifications). At most ten "
        "points per division."
    ),
    "rewrite": (
        "Rewrite the résumé to be stronger, keeping every fact: the same jobs, dates, schools and certifications. "
        "Use numbers only where the résumé gives them; elsewhere add a bracketed prompt such as [Add a number: ...] "
        "for the user to fill in. Fill missing sections with bracketed placeholders the user must edit. Add to "
        "technology_stacks the skills the descriptions already show (the posting's first). Follow the feedback. "
        "Dates as YYYY-MM-DD; end_date null while it goes on."
    ),
    "interview.open": (
        "You interview the candidate for the posting's role (or a role that fits the résumé). Ask the first "
        "question, on technical depth in their strongest, most relevant experience. competence: a short label of "
        "what the question probes."
    ),
    "interview.answer": (
        "Evaluate the answer to the last question in `turns`: substance, specificity, numbers, the STAR structure "
        "(situation, task, action, result), and whether it answers the question and speaks to the posting. "
        "evaluation: what is good and what is missing; score: 0-100. next_question: the next question, on a "
        f"competence not covered yet ({COMPETENCES}); null once {{max_questions}} questions were asked."
    ),
    "interview.finish": (
        "Evaluate the whole interview in `turns`: a score (0-100) per competence probed, total_score (0-100), and "
        "overall: the strengths, what to work on, and one piece of advice."
    ),
    "study_guide": (
        "Build a study guide from the gaps between the résumé and the posting, or those the feedback found. items: "
        "what to study, priority '1' for what the posting requires and the résumé lacks, '2' for what it prefers, "
        "'3' for the rest; keywords to search for; estimated_hours. A title and a description of the guide."
    ),
}


def language_of(request: CareersRequest) -> str:
    """The résumé's language (the posting's, when there is no résumé)."""
    posting = read_posting(request.posting)
    return read_resume(request.resume, context=posting.qualification if posting else "").language


def messages(request: CareersRequest, max_questions: int = 5) -> list[dict[str, str]]:
    """The system and user messages of one task."""
    system = " ".join(
        [
            COMMON.format(language=LANGUAGES[language_of(request)]),
            TASKS[request.kind].format(max_questions=max_questions),
        ]
    )
    given = {"resume": request.resume, "posting": request.posting, "feedback": request.feedback}
    if request.kind.startswith("interview."):
        given |= {"turns": list(request.turns), "questions_asked": len(request.turns)}
    user = json.dumps({k: v for k, v in given.items() if v is not None}, ensure_ascii=False, default=str)
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]
