"""Whatever a command's résumé, posting, feedback and turns hold, the offline provider answers every task with a
result that matches its schema (the worker would otherwise fail the task as invalid_output)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llm_worker.careers.offline import OfflineCareersProvider
from llm_worker.careers.port import CareersRequest
from shared.messages.careers_results import RESULT_SCHEMAS, result_problems

pytestmark = pytest.mark.unit
PROVIDER = OfflineCareersProvider()
FIELDS = ["title", "job_title", "job_description", "description", "start_date", "end_date", "employment_status",
          "organ", "degree_level", "score", "name", "acquisition_date", "department", "position", "division", "result",
          "question", "answer", "competence", "qualification", "prefer", "company"]  # fmt: skip
SECTIONS = ["experiences", "educations", "projects", "activities", "qualifications", "technology_stacks"]

text = st.text("abcXYZ 가나다라마 0123456789.,%-\n", max_size=300)
dates = st.sampled_from(["2019-05-01", "2021-02-30", "2020-13-45", "2030-01", "", "2018-07-01T00:00:00Z", "9999-12-31"])
scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5000), dates, text)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(FIELDS), inner, max_size=6)),
    max_leaves=6,
)
items = st.lists(st.one_of(values, st.dictionaries(st.sampled_from(FIELDS), values, max_size=8)), max_size=4)
resumes = st.fixed_dictionaries({"title": values, "self_introduction": values}, optional=dict.fromkeys(SECTIONS, items))
documents = st.one_of(st.none(), st.dictionaries(st.sampled_from(FIELDS), values, max_size=5))
feedbacks = st.one_of(st.none(), st.fixed_dictionaries({"feedback_contents": st.one_of(items, values)}))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(resume=resumes, posting=documents, feedback=feedbacks, turns=st.lists(documents.filter(bool), max_size=6))
def test_every_task_gives_a_valid_result_whatever_the_documents_hold(resume, posting, feedback, turns):
    for kind in RESULT_SCHEMAS:
        request = CareersRequest(kind, resume, posting, feedback, tuple(turns), "2024-01-01T00:00:00+00:00")
        assert result_problems(kind, PROVIDER.answer(request).result) == [], kind
