"""The offline classroom provider (the default, no key): a diagnosis from the step and the learner's activity, a
recording's steps and hesitations from its events; deterministic, a few milliseconds of CPU."""

import json

from llm_worker.classroom.diagnosis import diagnose
from llm_worker.classroom.port import ClassroomAnswer, ClassroomRequest
from llm_worker.classroom.recording import analyse_recording
from llm_worker.providers.base import PermanentProviderError, Usage
from llm_worker.providers.local import estimate_tokens


class OfflineClassroomProvider:
    """Every classroom analysis by rules over the events: no model, no network."""

    name = "local"
    model = "classroom-offline-v1"
    billable = False  # free and deterministic: recomputing on redelivery has no effect

    def answer(self, request: ClassroomRequest) -> ClassroomAnswer:
        if request.kind == "help_analysis":
            result = diagnose(request.step, request.context, request.requested_at)
            read = json.dumps([request.step, request.context], ensure_ascii=False, default=str)
        elif request.kind == "recording_analysis":
            result = analyse_recording(list(request.events))
            read = json.dumps(request.events, ensure_ascii=False, default=str)
        else:
            raise PermanentProviderError(f"local: no classroom task {request.kind!r}", code="invalid_request")
        written = json.dumps(result, ensure_ascii=False)
        return ClassroomAnswer(result, Usage(estimate_tokens(read), estimate_tokens(written)), self.name, self.model)
