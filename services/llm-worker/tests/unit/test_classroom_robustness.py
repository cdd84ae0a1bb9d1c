"""Whatever a help request's step and context or a recording's events hold, the offline provider answers with a
result that matches its schema (the worker would otherwise fail the analysis as invalid_output)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llm_worker.classroom.offline import OfflineClassroomProvider
from llm_worker.classroom.port import ClassroomRequest
from shared.messages.classroom_results import result_problems

pytestmark = pytest.mark.unit
PROVIDER = OfflineClassroomProvider()
FIELDS = ["event_type", "occurred_at", "timestamp", "time", "screen", "element", "text", "package", "data", "x", "y",
          "title", "guide_text", "target_action", "target_text", "target_element_hint", "target_view_id",
          "target_package", "voice_guide_text", "description", "view_id", "class_name"]  # fmt: skip
TYPES = ["CLICK", "VIEW_CLICKED", "LONG_CLICK", "SCROLL", "TEXT_INPUT", "BACK", "SCREEN_CHANGE", "HOME", "x" * 60]
text = st.text("abcXYZ 가나다라 0123456789.:-'{}\n\u2018", max_size=400)
times = st.sampled_from(["2026-03-01T09:30:00Z", "2026-03-01T09:29:00+09:00", "2026-13-01", "", "9999-12-31T23:59:59"])
scalars = st.one_of(st.none(), st.booleans(), st.integers(-(10**15), 10**15), st.floats(allow_nan=True), times, text,
                    st.sampled_from(TYPES))  # fmt: skip
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(FIELDS), inner, max_size=5)),
    max_leaves=8,
)
events = st.lists(st.one_of(values, st.dictionaries(st.sampled_from(FIELDS), values, max_size=8)), max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(step=st.one_of(st.none(), st.dictionaries(st.sampled_from(FIELDS), values, max_size=8)), activity=events,
       error=values, requested_at=st.one_of(times, text))  # fmt: skip
def test_a_diagnosis_is_valid_whatever_the_request_holds(step, activity, error, requested_at):
    context = {"recent_activity": activity, "error_message": error}
    request = ClassroomRequest("help_analysis", step=step, context=context, requested_at=requested_at)
    assert result_problems("help_analysis", PROVIDER.answer(request).result) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(recorded=events)
def test_a_recording_analysis_is_valid_whatever_the_events_hold(recorded):
    request = ClassroomRequest("recording_analysis", events=tuple(recorded))
    assert result_problems("recording_analysis", PROVIDER.answer(request).result) == []


def test_many_events_stay_within_the_schemas_limits():
    recorded = [{"event_type": "CLICK", "occurred_at": f"2026-03-01T09:{m:02d}:{s:02d}Z", "element": "OK" * 200}
                for m in range(60) for s in range(0, 60, 2)]  # fmt: skip
    result = PROVIDER.answer(ClassroomRequest("recording_analysis", events=tuple(recorded))).result
    assert result_problems("recording_analysis", result) == [] and len(result["steps"]) == 1000
