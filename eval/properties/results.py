"""A case's outcome (each property held or not) and the sums per task and language."""

import dataclasses

from eval.properties.cases import Case, Property
from eval.properties.checks import CHECKS, View
from eval.properties.tasks import Run

SCHEMA = Property("the result matches its JSON Schema", "schema", {})


@dataclasses.dataclass(frozen=True)
class Outcome:
    case: Case
    held: tuple[tuple[Property, bool, str], ...]  # each property, whether it held, why not
    cpu_ms: float
    wall_ms: float

    @property
    def failed(self) -> list[tuple[Property, str]]:
        return [(prop, why) for prop, held, why in self.held if not held]


def judge(prop: Property, view: View) -> tuple[bool, str]:
    """Whether `view` has the property (a check that cannot read the view fails, saying why)."""
    try:
        return CHECKS[prop.check](view, **prop.args)
    except (KeyError, TypeError, ValueError, IndexError) as err:
        return False, f"{type(err).__name__}: {err}"


def outcome(case: Case, run: Run) -> Outcome:
    """The case's properties judged on its run, after the implicit one: every result matches its schema."""
    held = [(SCHEMA, not run.problems, "; ".join(run.problems)[:300])]
    held += [(prop, *judge(prop, run.view)) for prop in case.properties]
    return Outcome(case, tuple(held), run.cpu_ms, run.wall_ms)


@dataclasses.dataclass(frozen=True)
class Sum:
    task: str
    language: str
    cases: int
    whole: int  # cases with every property held
    held: int
    total: int
    cpu_ms: float  # per case
    wall_ms: float

    @property
    def share(self) -> float:
        return self.held / self.total if self.total else 0.0


def summed(task: str, language: str, outcomes: list[Outcome]) -> Sum:
    n = len(outcomes)
    return Sum(
        task, language, n,
        sum(1 for o in outcomes if not o.failed),
        sum(len(o.held) - len(o.failed) for o in outcomes),
        sum(len(o.held) for o in outcomes),
        sum(o.cpu_ms for o in outcomes) / n if n else 0.0,
        sum(o.wall_ms for o in outcomes) / n if n else 0.0,
    )  # fmt: skip


def by_language(task: str, outcomes: list[Outcome]) -> list[Sum]:
    """One sum per language that has cases, then all of the task's."""
    languages = sorted({o.case.language for o in outcomes})
    per = [summed(task, language, [o for o in outcomes if o.case.language == language]) for language in languages]
    return [*per, summed(task, "all", outcomes)]


def failures(outcomes: list[Outcome]) -> list[str]:
    """Each property that did not hold: the case, what it says, and why not."""
    return [f"{o.case.id}: {prop.says} ({why})" for o in outcomes for prop, why in o.failed]
