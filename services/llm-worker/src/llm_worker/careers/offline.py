"""The offline careers provider (the default, no key): real feedback computed from the résumé itself, in its
language, deterministic for a given request and a few milliseconds of CPU."""

import json
from collections.abc import Callable
from typing import Any

from llm_worker.careers.analysis import Analysis, analyse
from llm_worker.careers.feedback import feedback_result
from llm_worker.careers.interview import answer_result, finish_result, open_result
from llm_worker.careers.port import CareersAnswer, CareersRequest
from llm_worker.careers.resume import feedback_points, read_posting, read_resume
from llm_worker.careers.rewrite import rewrite_result
from llm_worker.careers.study_guide import study_guide_result
from llm_worker.providers.base import PermanentProviderError, Usage
from llm_worker.providers.local import estimate_tokens

TASKS: dict[str, Callable[[Analysis, CareersRequest], dict[str, Any]]] = {
    "feedback": lambda analysis, _: feedback_result(analysis),
    "rewrite": lambda analysis, _: rewrite_result(analysis),
    "interview.open": lambda analysis, _: open_result(analysis),
    "interview.answer": lambda analysis, request: answer_result(analysis, list(request.turns)),
    "interview.finish": lambda analysis, request: finish_result(analysis, list(request.turns)),
    "study_guide": lambda analysis, request: study_guide_result(analysis, request.feedback),
}


class OfflineCareersProvider:
    """Every careers task from the analysis of the résumé (and posting): no model, no network."""

    name = "local"
    model = "careers-offline-v1"
    billable = False  # free and deterministic: recomputing on redelivery has no effect

    def answer(self, request: CareersRequest) -> CareersAnswer:
        task = TASKS.get(request.kind)
        if task is None:
            raise PermanentProviderError(f"local: no careers task {request.kind!r}", code="invalid_request")
        posting = read_posting(request.posting)
        feedback_text = " ".join(text for _, text in feedback_points(request.feedback))
        context = " ".join(filter(None, [posting and posting.qualification, feedback_text]))
        resume = read_resume(request.resume, request.requested_at, context)
        result = task(analyse(resume, posting), request)
        read = resume.text + (posting.qualification + posting.prefer if posting else "")
        written = json.dumps(result, ensure_ascii=False)
        return CareersAnswer(result, Usage(estimate_tokens(read), estimate_tokens(written)), self.name, self.model)
