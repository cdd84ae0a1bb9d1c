"""Worker.prepare(): every provider that loads something lazily loads it before the first job."""

from types import SimpleNamespace

from llm_worker.bootstrap import Worker


class Loading:
    name = "local"

    def __init__(self):
        self.prepared = 0

    def prepare(self) -> None:
        self.prepared += 1


def test_prepare_loads_each_provider_that_can_and_skips_the_rest():
    jobs, classroom = Loading(), Loading()
    worker = SimpleNamespace(
        provider=jobs, careers_provider=SimpleNamespace(name="openai"), classroom_provider=classroom
    )

    Worker.prepare(worker)

    assert (jobs.prepared, classroom.prepared) == (1, 1)
