"""make bench-classroom-activity's figures: every round reported, the target judged on the worst one."""

from bench.classroom_activity import TARGET, figures


def a_round(end_to_end: float, sustained: float) -> dict:
    return {"end_to_end": end_to_end, "sustained": sustained, "lag_events": 1200, "drain_seconds": 0.8}


def test_the_target_is_met_only_when_every_round_meets_it():
    met = figures([a_round(TARGET + 900, 6100), a_round(TARGET + 10, 5200)])
    missed = figures([a_round(TARGET + 900, 6100), a_round(TARGET - 1, 4900)])
    assert met[0].met is True and missed[0].met is False
    assert "5,010 events/s" in met[0].today and "5,900, 5,010" in met[0].today
    assert met[1].today == "6,100, 5,200 events/s" and met[1].met is None
    assert met[2].today == "1,200 events, drained in 0.8 s; 1,200 events, drained in 0.8 s"
