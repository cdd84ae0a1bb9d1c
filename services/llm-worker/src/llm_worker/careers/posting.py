"""What a posting asks for, and whether a résumé shows it.

A requirement is a known skill (skills.py), a tool named the way tools are named (FastAPI, gRPC, S3, Node.js:
a capital inside the word, a digit, or + # . in it, or all capitals), or, for a line that names neither, the
topic its key words make ("대용량 트래픽 처리", "distributed systems").
"""

import dataclasses
import functools
import re

from llm_worker.careers.resume import Posting, Resume
from llm_worker.careers.skills import Skill, cased_skills, find_skills, skill_named, tokens

_OR = re.compile(r"\s(?:or|또는|혹은)\s", re.IGNORECASE)  # "Go 또는 Java": either will do
_LINES = re.compile(r"[\n,;·•|]+|[.!?](?:\s|$)|\s[-*]\s|\d+[.)]\s")
_TOOL = re.compile(
    r"(?<![\w.])(?:[A-Za-z]*[a-z][A-Z][A-Za-z0-9]*|[A-Za-z]+\d[A-Za-z0-9]*|[A-Za-z]+[+#]+|[A-Za-z]+\.[A-Za-z]+|[A-Z]{2,}\d*)"
    r"(?![\w+#])"
)
_PARTICLES = (
    "으로",
    "에서",
    "에게",
    "까지",
    "부터",
    "하는",
    "했던",
    "하여",
    "을",
    "를",
    "이",
    "가",
    "은",
    "는",
    "에",
    "의",
    "과",
    "와",
    "로",
    "도",
    "만",
    "한",
    "된",
)  # and the endings that make a verb a modifier (처리한, 구축된)
_GENERIC_WORDS = """
    경험 경력 이상 보유 보유자 능력 역량 가능 가능자 가능한 분 자 우대 우대사항 관련 이해 이해도 지식 사용 활용
    및 등 또는 있는 있으신 있으신분 하신 통한 위한 대한 기반 필수 자격 요건 능숙 능숙한 숙련 원활한 기본 기본적인
    업무 개발 경험자 이상의 실무 자격증 학력 무관 전공 졸업 신입 지원 모집 담당 해당 분야 관련된 다양한 프로젝트
    서비스 수행 가진 갖춘 높은 좋은 사람
    a an the and or of in on with for to at by as is are be experience experienced years year strong good excellent
    solid knowledge understanding ability able skills skill familiarity familiar proficiency proficient working work
    hands-on preferred required requirement requirements nice have having including such like degree etc using use
    must will you your we our related field plus minimum least more other similar equivalent background candidate
    someone who team development developing develop building build design designing deep practical professional
"""
_GENERIC = frozenset(_GENERIC_WORDS.split())
_ACRONYMS = frozenset(
    {"API", "IT", "UI", "UX", "CS", "PM", "PO", "OS", "DB", "QA", "HR", "BA", "BS", "MS", "PHD", "TOP"}
)


@dataclasses.dataclass(frozen=True)
class Requirement:
    """One thing a posting asks for; `terms` are looked for in the résumé (all of a skill's aliases, or a
    tool's name, or a topic's key words of which half must be there)."""

    label: str
    required: bool
    skill: Skill | None = None
    terms: tuple[str, ...] = ()
    options: tuple["Requirement", ...] = ()  # any one of them will do

    def met_by(self, resume: Resume) -> bool:
        if self.options:
            return any(option.met_by(resume) for option in self.options)
        if self.skill is not None:
            return self.skill.name in resume.skills
        found = sum(1 for term in self.terms if term in resume.words or (_hangul(term) and term in resume.text))
        return found * 2 >= len(self.terms)

    def shown(self, resume: Resume) -> str:
        """How the résumé meets it: the option it shows, or the requirement itself."""
        return next((option.label for option in self.options if option.met_by(resume)), self.label)


def _hangul(word: str) -> bool:
    return "\uac00" <= word[0] <= "\ud7a3"


def _stem(word: str) -> str:
    """A Korean word without its particle (when what is left still says something)."""
    for particle in _PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 2:
            return word[: -len(particle)]
    return word


def _topic(line: str) -> Requirement | None:
    """The key words of a line that names no skill or tool (at most four), as written and as looked for."""
    kept: dict[str, str] = {}
    for word in line.split():
        found = tokens(word.lower())
        term = _stem(found[0]) if len(found) == 1 else ""
        if len(term) >= 2 and term not in _GENERIC and not any(c.isdigit() for c in term):
            kept.setdefault(term, word.strip(".,:()[]\"'"))
    if not kept:
        return None
    terms = tuple(kept)[:4]
    return Requirement(" ".join(kept[t] for t in terms), True, terms=terms)


def _tools(line: str, skills: list[Skill], known: set[str]) -> list[str]:
    """The tool names of a line that are no known skill, nor a word of one it names (the CI of CI/CD)."""
    taken = {word for skill in skills for alias in skill.aliases for word in tokens(alias)}
    names = dict.fromkeys(_TOOL.findall(line))
    return [
        name
        for name in names
        if name.upper() not in _ACRONYMS and name.lower() not in taken and name not in known and not skill_named(name)
    ]


def read_requirements(text: str, required: bool) -> list[Requirement]:
    """The requirements of one posting field, in the order it names them."""
    found: list[Requirement] = []
    labels: set[str] = set()
    for line in (part.strip() for part in _LINES.split(text)):
        if not line:
            continue
        skills = find_skills(line)
        skills += [skill for skill in cased_skills(line) if skill not in skills]
        tools = _tools(line, skills, labels)
        new = [Requirement(s.name, required, skill=s) for s in skills]
        new += [Requirement(tool, required, terms=(tool.lower(),)) for tool in tools]
        if not new and (topic := _topic(line)):
            new = [dataclasses.replace(topic, required=required)]
        if len(new) > 1 and (either := _OR.search(line)):
            new = [_either(sorted(new, key=lambda r: _position(line, r)), either[0].strip(), required)]
        for requirement in new:
            if requirement.label not in labels:
                labels.add(requirement.label)
                found.append(requirement)
    return found


def _either(options: list[Requirement], connective: str, required: bool) -> Requirement:
    """One requirement any of `options` meets, named as the posting joins them ("Go 또는 Java")."""
    labels = tuple(option.label for option in options)
    return Requirement(f" {connective} ".join(labels), required, terms=labels, options=tuple(options))


def _position(line: str, requirement: Requirement) -> int:
    """Where the line first names the requirement (by its label or an alias)."""
    names = (requirement.label, *(requirement.skill.aliases if requirement.skill else ()))
    found = [at for name in names if (at := line.lower().find(name.lower())) >= 0]
    return min(found, default=len(line))


@functools.lru_cache(maxsize=256)
def requirements(posting: Posting) -> tuple[tuple[Requirement, ...], tuple[Requirement, ...]]:
    """(required, preferred): a skill both require and prefer counts as required."""
    required = read_requirements(posting.qualification, True)
    names = {r.label for r in required}
    preferred = [r for r in read_requirements(posting.prefer, False) if r.label not in names]
    return tuple(required), tuple(preferred)
