"""The rows of `make seed-careers` as COPY text: people, their résumés and each section's items, job postings.

A résumé is planned when its row is written (owner, language, line of work, how many items in each section);
each section's rows are made afterwards from the plans, with a random stream of its own, so nothing but the plans
is held in memory. Texts hold no tab or backslash; a new line inside one is written as COPY's `\\n`.
"""

import dataclasses
import random
from datetime import date

from bench import seed_careers_words as w
from bench.seed_catalog import SEED_PASSWORD, Clock
from gateway.accounts.passwords import hash_password

EMAIL_DOMAIN = "seed-careers.example.com"
DAY = 86_400
HISTORY_DAYS = 730  # résumés and postings were written over the last two years, in the order of their rows
NL, NONE = "\\n", r"\N"
SECTIONS = ("resume_experiences", "resume_educations", "resume_projects", "resume_activities",
            "resume_qualifications", "resume_technology_stacks")  # fmt: skip
FULL = (10,) * len(SECTIONS)
ITEMS = ((0, 1, 1, 2, 2, 3, 3, 4, 5), (0, 1, 1, 1, 2, 2, 3), (0, 0, 1, 2, 2, 3, 4, 5), (0, 0, 1, 1, 2, 3),
         (0, 1, 1, 2, 3, 4), (0, 3, 5, 6, 8, 10, 12))  # fmt: skip
COLUMNS = {
    "users": "id, email, username, password_hash, roles, email_verified, created_at, updated_at",
    "career_profiles": "user_id, name, phone, address, birth_date, gender, military_service, updated_at",
    "resumes": "id, owner_id, title, resume_type, name, email, phone, address, gender, military_service, birth_date, "
    "self_introduction, created_at, updated_at, deleted_at",
    "resume_experiences": "id, resume_id, position, job_title, department, job_position, job_description, "
    "employment_status, start_date, end_date",
    "resume_educations": "id, resume_id, position, organ, department, degree_level, score, start_date, end_date",
    "resume_projects": "id, resume_id, position, title, description, start_date, end_date",
    "resume_activities": "id, resume_id, position, title, description, start_date, end_date",
    "resume_qualifications": "id, resume_id, position, title, acquisition_date, score, organ",
    "resume_technology_stacks": "id, resume_id, position, name",
    "job_postings": "id, owner_id, url, title, company, qualification, prefer, end_date, created_at, updated_at, "
    "deleted_at",
}
PROGRAMMES = {"ko": ("SSAFY 삼성 청년 SW 아카데미", "우아한테크코스", "네이버 부스트캠프", "코드스테이츠 부트캠프",
                     "패스트캠퍼스 데이터 엔지니어링 과정"),
              "en": ("Recurse Center", "App Academy", "Coursera Machine Learning Specialization",
                     "Le Wagon Data Science", "General Assembly UX Design")}  # fmt: skip
ORDERINGS = 64  # shuffled orders kept per list: picking one is far cheaper than random.sample
VARIANT_MASK = ~((0xF000 << 64) | (0xC000 << 48))
VERSION_4 = (0x4000 << 64) | (0x8000 << 48)


def pick(rng: random.Random, items):
    """random.choice, without its bookkeeping (the seed makes millions of picks)."""
    return items[int(rng.random() * len(items))]


def between(rng: random.Random, low: int, high: int) -> int:
    """random.randint, as cheaply."""
    return low + int(rng.random() * (high - low + 1))


@dataclasses.dataclass(frozen=True)
class Person:
    user_id: str
    username: str
    lang: str
    role: int
    name: str
    phone: str
    address: str
    gender: str
    military: str
    born: int  # a date's ordinal


@dataclasses.dataclass(frozen=True)
class Plan:
    resume_id: str
    person: Person
    lang: str
    role: w.Role
    counts: tuple[int, ...]


class Loader:
    """Makes the rows, one table at a time, as iterables of COPY lines."""

    def __init__(self, users: int, full_share: float, deleted_share: float, random_seed: int, now: int):
        self.random_seed, self.now, self.full_share, self.deleted_share = random_seed, now, full_share, deleted_share
        self.rng = rng = random.Random(random_seed)
        self.today = date.fromtimestamp(now).toordinal()
        self.clock = Clock(now - (HISTORY_DAYS + 2) * DAY, HISTORY_DAYS + 4)
        self.plans: list[Plan] = []
        self._orders: dict[int, list[tuple]] = {}
        self._first_day = self.today - 70 * 365
        self._days = [date.fromordinal(d).isoformat() for d in range(self._first_day, self.today + 400)]
        self.people = [self._person(rng, f"careeruser{n:05d}") for n in range(1, users + 1)]

    def _uuid(self, rng: random.Random) -> str:
        h = f"{rng.getrandbits(128) & VARIANT_MASK | VERSION_4:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def _person(self, rng: random.Random, username: str) -> Person:
        lang, gender = "ko" if rng.random() < 0.65 else "en", pick(rng, "12")
        born = self.today - between(rng, 22 * 365, 45 * 365)
        if lang == "ko":
            name = pick(rng, w.SURNAMES_KO) + pick(rng, w.GIVEN_KO)
            phone = f"010-{between(rng, 2000, 9999)}-{between(rng, 1000, 9999)}"
            address = f"{pick(rng, w.ADDRESSES_KO)} {between(rng, 1, 400)}"
            military = pick(rng, "21235") if gender == "1" else "6"
        else:
            name, phone = pick(rng, w.NAMES_EN), f"+1 206-555-{between(rng, 1000, 9999)}"
            address, military = pick(rng, w.ADDRESSES_EN), "6"
        role = between(rng, 0, len(w.ROLES) - 1)
        return Person(self._uuid(rng), username, lang, role, name, phone, address, gender, military, born)

    def _owner(self, rng: random.Random) -> int:
        """A person's index, the first ones far likelier: a few keep hundreds of résumés and postings."""
        return int(len(self.people) * rng.random() ** 2)

    def _created(self, i: int, total: int, rng: random.Random) -> int:
        return self.now - HISTORY_DAYS * DAY + int((i + rng.random()) * (HISTORY_DAYS - 1) * DAY / total)

    def _day(self, ordinal: int) -> str:
        return self._days[ordinal - self._first_day]

    def _shuffled(self, rng: random.Random, items: tuple) -> tuple:
        """The items in one of ORDERINGS random orders: their first n are a cheap sample (`items` live as long as
        the loader: module constants)."""
        orders = self._orders.get(id(items))
        if orders is None:
            orders = self._orders[id(items)] = [tuple(rng.sample(items, len(items))) for _ in range(ORDERINGS)]
        return pick(rng, orders)

    def users(self):
        password_hash, at = hash_password(SEED_PASSWORD), self.clock.text(self.now - (HISTORY_DAYS + 1) * DAY)
        for p in self.people:
            yield f"{p.user_id}\t{p.username}@{EMAIL_DOMAIN}\t{p.username}\t{password_hash}\t{{user}}\tt\t{at}\t{at}\n"

    def profiles(self):
        at = self.clock.text(self.now - DAY)
        for n, p in enumerate(self.people):
            if n % 5:  # four in five have told their profile
                born = self._day(p.born)
                yield f"{p.user_id}\t{p.name}\t{p.phone}\t{p.address}\t{born}\t{p.gender}\t{p.military}\t{at}\n"

    def resumes(self, total: int):
        rng = random.Random(f"{self.random_seed}-resumes")
        for i in range(total):
            person = self.people[self._owner(rng)]
            lang = person.lang if rng.random() < 0.85 else ("en" if person.lang == "ko" else "ko")
            role = w.ROLES[person.role if rng.random() < 0.8 else between(rng, 0, len(w.ROLES) - 1)]
            full = rng.random() < self.full_share
            counts = FULL if full else tuple(pick(rng, choices) for choices in ITEMS)
            plan = Plan(self._uuid(rng), person, lang, role, counts)
            self.plans.append(plan)
            created = self._created(i, total, rng)
            updated = min(self.now, created + int(rng.random() ** 3 * 30 * DAY))
            deleted = self.clock.text(updated) if rng.random() < self.deleted_share else NONE
            intro = NONE if rng.random() < 0.15 and not full else self._introduction(rng, lang, 3 if full else None)
            yield (
                f"{plan.resume_id}\t{person.user_id}\t{self._title(rng, lang, role)}\t1\t{person.name}\t"
                f"{person.username}@{EMAIL_DOMAIN}\t{person.phone}\t{person.address}\t{person.gender}\t"
                f"{person.military}\t{self._day(person.born)}\t{intro}\t{self.clock.text(created)}\t"
                f"{self.clock.text(updated)}\t{deleted}\n"
            )

    def _title(self, rng: random.Random, lang: str, role: w.Role) -> str:
        forms = w.TITLE_FORMS_KO if lang == "ko" else w.TITLE_FORMS_EN
        return pick(rng, forms).format(
            role=role.ko if lang == "ko" else role.en, company=pick(rng, w.COMPANIES), year=between(rng, 2024, 2026),
            years=between(rng, 1, 12), skill=pick(rng, role.required),
        )  # fmt: skip

    def _introduction(self, rng: random.Random, lang: str, paragraphs: int | None) -> str:
        pool = w.INTRODUCTIONS_KO if lang == "ko" else w.INTRODUCTIONS_EN
        return (NL + NL).join(self._shuffled(rng, pool)[: paragraphs or between(rng, 1, 3)])

    def section(self, table: str):
        """The rows of one section of every planned résumé, in the résumés' order."""
        rng, k = random.Random(f"{self.random_seed}-{table}"), SECTIONS.index(table)
        make = getattr(self, f"_{table.removeprefix('resume_')}")
        for plan in self.plans:
            if plan.counts[k]:
                yield from make(rng, plan, plan.counts[k])

    def _bullets(self, rng: random.Random, sentences: tuple[str, ...], count: int, limit: int) -> str:
        text = NL.join("- " + s for s in self._shuffled(rng, sentences)[:count])
        return text if len(text) <= limit else text[: text.rfind(NL, 0, limit)]

    def _experiences(self, rng: random.Random, plan: Plan, count: int):
        """Jobs back from today: each 6 months to 3 years, with gaps and now and then an overlap."""
        ko, rows, end = plan.lang == "ko", [], self.today - int(rng.random() ** 2 * 400)
        current = rng.random() < 0.4
        for position in range(count - 1, -1, -1):
            start = end - (between(rng, 180, 1100) if count < 6 else between(rng, 120, 500))
            company = pick(rng, w.COMPANIES)
            team = pick(rng, plan.role.teams_ko if ko else plan.role.teams_en)
            duties = plan.role.duties_ko if ko else plan.role.duties_en
            described = self._bullets(rng, duties, 8 if count == 10 else between(rng, 1, 5), 1000)
            description = described if rng.random() < 0.9 or count == 10 else NONE
            still = current and position == count - 1
            rows.append(
                f"{self._uuid(rng)}\t{plan.resume_id}\t{position}\t{plan.role.ko if ko else plan.role.en}\t"
                f"{company} {team}\t{pick(rng, w.RANKS_KO if ko else w.RANKS_EN)}\t{description}\t"
                f"{'t' if still else 'f'}\t{self._day(start)}\t{NONE if still else self._day(end)}\n"
            )
            end = start - (between(rng, -60, -1) if rng.random() < 0.1 else between(rng, 1, 240))
        return reversed(rows)

    def _educations(self, rng: random.Random, plan: Plan, count: int):
        """High school, university, graduate school, then courses and bootcamps; a lone item is a degree."""
        ko, born, latest = plan.lang == "ko", plan.person.born, self.today - 400
        for position in range(count):
            stage, major, score = position + (count == 1), NONE, NONE
            if stage == 0:
                town = pick(
                    rng, ("서울", "부산", "대구", "인천", "수원") if ko else ("Lincoln", "Roosevelt", "Kennedy")
                )
                organ, degree, start, years = f"{town} {'고등학교' if ko else 'High School'}", "1", born + 16 * 365, 3
            elif stage <= 2:
                organ = pick(rng, w.SCHOOLS_KO if ko else w.SCHOOLS_EN)
                major = pick(rng, w.MAJORS_KO if ko else w.MAJORS_EN)
                degree, years = ("3", 4) if stage == 1 else ("4", 2)
                start = born + (19 if stage == 1 else 24) * 365 + between(rng, 0, 400)
                score = f"{between(rng, 30, 45) / 10}/4.5" if ko else f"{between(rng, 28, 40) / 10}/4.0"
            else:
                organ, degree, years = pick(rng, PROGRAMMES[plan.lang]), NONE, 0
                start = between(rng, min(born + 22 * 365, latest), latest)
            start = min(start, latest)
            end = min(self.today, start + years * 365 + between(rng, 60, 180))
            yield (
                f"{self._uuid(rng)}\t{plan.resume_id}\t{position}\t{organ}\t{major}\t{degree}\t{score}\t"
                f"{self._day(start)}\t{self._day(end)}\n"
            )

    def _projects(self, rng: random.Random, plan: Plan, count: int):
        ko = plan.lang == "ko"
        for position in range(count):
            start = self.today - between(rng, 60, 3000)
            title = f"{pick(rng, plan.role.projects)} {date.fromordinal(start).year}"
            duties = plan.role.duties_ko if ko else plan.role.duties_en
            description = self._bullets(rng, duties, 4 if count == 10 else between(rng, 1, 3), 500)
            yield (
                f"{self._uuid(rng)}\t{plan.resume_id}\t{position}\t{title}\t{description}\t{self._day(start)}\t"
                f"{self._day(min(self.today, start + between(rng, 30, 400)))}\n"
            )

    def _activities(self, rng: random.Random, plan: Plan, count: int):
        pool = w.ACTIVITIES_KO if plan.lang == "ko" else w.ACTIVITIES_EN
        for position in range(count):
            title, description = pick(rng, pool)
            start = min(plan.person.born + between(rng, 19 * 365, 26 * 365), self.today - 30)
            yield (
                f"{self._uuid(rng)}\t{plan.resume_id}\t{position}\t{title}\t{description}\t{self._day(start)}\t"
                f"{self._day(min(self.today, start + between(rng, 2, 400)))}\n"
            )

    def _qualifications(self, rng: random.Random, plan: Plan, count: int):
        for position, (title_ko, title_en, organ, kind) in enumerate(self._shuffled(rng, w.QUALIFICATIONS)[:count]):
            score = {"toeic": str(700 + 5 * between(rng, 0, 58)), "level": f"Level {between(rng, 5, 8)}",
                     "opic": pick(rng, w.OPIC_GRADES)}.get(kind, NONE)  # fmt: skip
            acquired = self.today - between(rng, 30, 3000)
            yield (
                f"{self._uuid(rng)}\t{plan.resume_id}\t{position}\t{title_ko if plan.lang == 'ko' else title_en}\t"
                f"{self._day(acquired)}\t{score}\t{organ}\n"
            )

    def _technology_stacks(self, rng: random.Random, plan: Plan, count: int):
        for position, name in enumerate(self._shuffled(rng, plan.role.stack)[:count]):
            yield f"{self._uuid(rng)}\t{plan.resume_id}\t{position}\t{name}\n"

    def postings(self, total: int):
        rng = random.Random(f"{self.random_seed}-postings")
        for i in range(total):
            person = self.people[self._owner(rng)]
            role = w.ROLES[person.role if rng.random() < 0.7 else between(rng, 0, len(w.ROLES) - 1)]
            company, ko = pick(rng, w.COMPANIES), person.lang == "ko"
            title = self._posting_title(rng, ko, role)
            created = self._created(i, total, rng)
            end_day = date.fromtimestamp(created).toordinal() + between(rng, 14, 60)
            end = NONE if rng.random() < 0.1 else self._day(end_day)
            url = NONE if rng.random() < 0.1 else self._posting_url(ko, company, i)
            required = self._requirements(rng, w.REQUIRED_KO if ko else w.REQUIRED_EN, role.required, 3, 5)
            preferred = self._requirements(rng, w.PREFERRED_KO if ko else w.PREFERRED_EN, role.preferred, 2, 4)
            deleted = self.clock.text(created + DAY) if rng.random() < self.deleted_share else NONE
            at = self.clock.text(created)
            yield (
                f"{self._uuid(rng)}\t{person.user_id}\t{url}\t{title}\t{company}\t{required}\t{preferred}\t"
                f"{end}\t{at}\t{at}\t{deleted}\n"
            )

    def _posting_url(self, ko: bool, company: str, i: int) -> str:
        if ko:
            return f"https://www.wanted.co.kr/wd/{100_000 + i}"
        return f"https://boards.greenhouse.io/{company.lower().replace(' ', '').replace('.', '')}/jobs/{4_000_000 + i}"

    def _posting_title(self, rng: random.Random, ko: bool, role: w.Role) -> str:
        name = role.ko if ko else role.en
        title = pick(rng, w.POSTING_TITLES_KO if ko else w.POSTING_TITLES_EN).format(
            role=name, years=between(rng, 1, 7), skill=pick(rng, role.required)
        )
        return title if len(title) <= 30 else name

    def _requirements(self, rng: random.Random, forms, skills, low: int, high: int) -> str:
        chosen = self._shuffled(rng, skills)[: between(rng, low, high)]
        lines = [pick(rng, forms).format(skill=skill, years=between(rng, 1, 7)) for skill in chosen]
        text = NL.join("- " + line for line in lines)
        return text if len(text) <= 300 else text[: text.rfind(NL, 0, 300)]
