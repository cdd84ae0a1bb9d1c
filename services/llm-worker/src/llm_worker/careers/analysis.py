"""The offline provider's reading of a résumé (against a posting, when there is one): every finding as a Point,
and the matching rate."""

import dataclasses

from llm_worker.careers.points import FURTHER, MUST_FIX, STRENGTH, Point
from llm_worker.careers.posting import Requirement, requirements
from llm_worker.careers.resume import Posting, Resume
from llm_worker.careers.skills import by_name
from llm_worker.careers.timeline import date_points, months_between
from llm_worker.careers.writing import THIN, introduction_points, result_points, section_points, weak_verb_points

REQUIRED_WEIGHT = 0.7  # of the rate, when the posting also prefers skills
MAX_MISSING, MAX_PREFERRED, MAX_CERTIFICATIONS = 8, 6, 3
DEVELOPER_SKILLS = {"Python", "Java", "JavaScript", "TypeScript", "Kotlin", "Go", "C++", "C#", "SQL", "Spring"}


@dataclasses.dataclass(frozen=True)
class Analysis:
    resume: Resume
    posting: Posting | None
    met: tuple[Requirement, ...]
    missing: tuple[Requirement, ...]  # required ones first
    points: tuple[Point, ...]
    matching_rate: int


def analyse(resume: Resume, posting: Posting | None) -> Analysis:
    """Everything the offline feedback, rewrite and study guide say about `resume`."""
    required, preferred = requirements(posting) if posting else ((), ())
    met = tuple(r for r in required + preferred if r.met_by(resume))
    missing = tuple(r for r in required + preferred if not r.met_by(resume))
    points = [
        *skill_points(resume, required, preferred, met),
        *strength_points(resume),
        *date_points(resume),
        *section_points(resume),
        *result_points(resume),
        *weak_verb_points(resume),
        *introduction_points(resume),
        *certification_points(resume, missing),
    ]
    rate = matching_rate(required, preferred, met) if required or preferred else completeness(resume)
    return Analysis(resume, posting, met, missing, tuple(points), rate)


def matching_rate(required, preferred, met) -> int:
    """The share of the posting's skills the résumé shows, required ones weighing more."""
    shares = [(sum(r in met for r in group) / len(group), weight) for group, weight in _weighted(required, preferred)]
    return round(100 * sum(share * weight for share, weight in shares))


def _weighted(required, preferred) -> list[tuple[tuple, float]]:
    if required and preferred:
        return [(required, REQUIRED_WEIGHT), (preferred, 1 - REQUIRED_WEIGHT)]
    return [(required or preferred, 1.0)]


def completeness(resume: Resume) -> int:
    """Without a posting: how complete and concrete the résumé is (each part weighs what a reader looks for)."""
    described = resume.described
    solid = [e for e in described if len(e.text) >= THIN[resume.language]]
    parts = [
        (10, bool(resume.raw.get("email") or resume.raw.get("phone"))),
        (15, len(resume.self_introduction) >= 80),
        (25, bool(described)),
        (15, len(solid) / len(described) if described else 0),
        (15, sum(1 for e in solid if any(c.isdigit() for c in e.text)) / len(described) if described else 0),
        (10, min(len(resume.stacks), 3) / 3),
        (5, bool(resume.educations)),
        (5, bool(resume.qualifications)),
    ]
    return round(sum(weight * float(share) for weight, share in parts))


def skill_points(resume: Resume, required, preferred, met) -> list[Point]:
    """What the résumé shows of the posting (a strength), what it lacks (required: must fix; preferred: to add)."""
    points = []
    for group, key in ((required, "required_met"), (preferred, "preferred_met")):
        shown = [r.shown(resume) for r in group if r in met]
        if shown:
            points.append(Point(STRENGTH, key, {"skills": ", ".join(shown), "count": len(shown), "total": len(group)}))
    lacking = [r for r in required if r not in met][:MAX_MISSING]
    points += [Point(MUST_FIX, "required_missing", {"skill": r.label}) for r in lacking]
    wanted = [r for r in preferred if r not in met][:MAX_PREFERRED]
    points += [Point(FURTHER, "preferred_missing", {"skill": r.label}) for r in wanted]
    return points


def strength_points(resume: Resume) -> list[Point]:
    """What stands out without a posting: a broad stack, long tenure, certifications."""
    points = []
    if len(resume.stacks) >= 3:
        points.append(Point(STRENGTH, "stack", {"skills": ", ".join(resume.stacks[:8]), "count": len(resume.stacks)}))
    for entry in resume.experiences:
        if entry.start and entry.ongoing and months_between(entry.start, resume.today) >= 24:
            years = months_between(entry.start, resume.today) // 12
            points.append(Point(STRENGTH, "tenure", {"item": entry.name, "years": years}))
    titles = [str(q.get("title")).strip() for q in resume.qualifications if str(q.get("title") or "").strip()]
    if titles:
        points.append(Point(STRENGTH, "certified", {"titles": ", ".join(titles[:5])}))
    return points


def certification_points(resume: Resume, missing: tuple[Requirement, ...]) -> list[Point]:
    """Certifications that would show a missing skill; a developer without any, the usual Korean one."""
    points = []
    for requirement in missing:
        skill = requirement.skill or by_name(requirement.label)
        if skill and skill.certification and len(points) < MAX_CERTIFICATIONS:
            points.append(Point(FURTHER, "certification", {"skill": skill.name, "certification": skill.certification}))
    if not points and not resume.qualifications and resume.language == "ko" and resume.skills & DEVELOPER_SKILLS:
        points.append(Point(FURTHER, "certification_ko_developer"))
    return points
