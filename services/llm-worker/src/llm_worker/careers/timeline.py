"""The dates of a résumé: an end before its start, a missing end, gaps of more than six months between jobs, and
jobs that overlap."""

from datetime import date

from llm_worker.careers.points import MUST_FIX, Point
from llm_worker.careers.resume import Entry, Resume

GAP_MONTHS = 6
OVERLAP_DAYS = 31  # a handover month is no overlap
DAYS_PER_MONTH = 30.44


def months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end`."""
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def end_of(entry: Entry, today: date) -> date | None:
    """When an item ended: its end date, today while it goes on, None when unknown."""
    return entry.end or (today if entry.ongoing else None)


def date_points(resume: Resume) -> list[Point]:
    """Every problem with the résumé's dates, as must-fix points."""
    points = []
    for entry in resume.dated:
        if entry.start is None:
            points.append(Point(MUST_FIX, "no_start", {"item": entry.name}))
        elif entry.end is not None and entry.end < entry.start:
            points.append(Point(MUST_FIX, "end_before_start", _span(entry)))
    for entry in resume.experiences:
        if entry.start is not None and entry.end is None and not entry.ongoing:
            points.append(Point(MUST_FIX, "no_end", {"item": entry.name}))
    jobs = sorted((e for e in resume.experiences if _dated(e, resume.today)), key=lambda e: e.start)
    return points + gap_points(jobs, resume.today) + overlap_points(jobs, resume.today)


def _dated(entry: Entry, today: date) -> bool:
    end = end_of(entry, today)
    return entry.start is not None and end is not None and end >= entry.start


def gap_points(jobs: list[Entry], today: date) -> list[Point]:
    """Periods of more than GAP_MONTHS between the end of every job so far and the start of the next."""
    points = []
    latest: Entry | None = None
    for job in jobs:
        # to the nearest month, as a reader counts: from the end of March to mid-November is 8 months, not 7
        months = round((job.start - end_of(latest, today)).days / DAYS_PER_MONTH) if latest is not None else 0
        if months > GAP_MONTHS:
            values = {"before": latest.name, "after": job.name, "months": months}
            points.append(Point(MUST_FIX, "gap", values | {"since": end_of(latest, today).isoformat()}))
        if latest is None or end_of(job, today) > end_of(latest, today):
            latest = job
    return points


def overlap_points(jobs: list[Entry], today: date) -> list[Point]:
    """Pairs of jobs held at the same time for more than OVERLAP_DAYS."""
    points = []
    for i, first in enumerate(jobs):
        for second in jobs[i + 1 :]:
            days = (min(end_of(first, today), end_of(second, today)) - second.start).days
            if days > OVERLAP_DAYS:
                values = {"first": first.name, "second": second.name, "months": max(1, round(days / DAYS_PER_MONTH))}
                points.append(Point(MUST_FIX, "overlap", values))
    return points


def _span(entry: Entry) -> dict:
    return {"item": entry.name, "start": entry.start.isoformat(), "end": entry.end.isoformat()}
