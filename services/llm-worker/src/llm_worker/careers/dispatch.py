"""One queue, four commands: a careers delivery goes to the handler of its type (llm_worker.task_dispatch)."""

from collections.abc import Mapping

from llm_worker.task_dispatch import Handler, TaskDispatcher


class CareersDispatcher(TaskDispatcher):
    """Routes each delivery of llm-worker.careers to the handler registered for its command."""

    def __init__(self, handlers: Mapping[str, Handler]):
        super().__init__(handlers, "careers")
