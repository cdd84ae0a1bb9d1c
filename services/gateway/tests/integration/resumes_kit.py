"""Helpers of the résumé and job posting tests: whole bodies, and the rows a user has."""

import copy

import psycopg

SECTION_TABLES = {
    "experiences": "resume_experiences",
    "educations": "resume_educations",
    "projects": "resume_projects",
    "activities": "resume_activities",
    "qualifications": "resume_qualifications",
    "technology_stacks": "resume_technology_stacks",
}


def item(section: str, n: int = 0) -> dict:
    """The n-th item of a section, every field given."""
    year = 2010 + n % 10
    return {
        "experiences": {
            "job_title": f"Backend engineer {n}",
            "department": "Platform",
            "position": "Senior",
            "job_description": "Built the payments gateway; cut p99 latency by 40%.",
            "employment_status": False,
            "start_date": f"{year}-01-01",
            "end_date": f"{year}-12-31",
        },
        "educations": {
            "organ": f"서울대학교 {n}",
            "department": "컴퓨터공학",
            "degree_level": "3",
            "score": "3.9/4.5",
            "start_date": f"{year}-03-01",
            "end_date": None,
        },
        "projects": {
            "title": f"Search {n}",
            "description": "Trigram search.",
            "start_date": f"{year}-01-01",
            "end_date": f"{year}-06-30",
        },
        "activities": {"title": f"Meetup {n}", "description": None, "start_date": f"{year}-01-01", "end_date": None},
        "qualifications": {
            "title": f"정보처리기사 {n}",
            "acquisition_date": f"{year}-08-01",
            "score": "A",
            "organ": "HRDK",
        },
        "technology_stacks": {"name": f"Python {n}"},
    }[section]


def resume_body(items: int = 1, **fields) -> dict:
    """A whole résumé with `items` items in every section."""
    body = {
        "title": "백엔드 개발자 이력서",
        "resume_type": "1",
        "name": "김하늘",
        "email": "sky@example.com",
        "phone": "010-1234-5678",
        "address": "서울특별시",
        "gender": "2",
        "military_service": "6",
        "birth_date": "1995-04-01",
        "self_introduction": "Python and PostgreSQL.\n여러 줄.",
        **{section: [item(section, n) for n in range(items)] for section in SECTION_TABLES},
    }
    return copy.deepcopy({**body, **fields})


def without_ids(resume: dict) -> dict:
    """A résumé answer as the body that wrote it: no ids, links, times, photo or origin."""
    body = {k: v for k, v in resume.items() if k not in ("id", "links", "created_at", "updated_at", "photo_url")}
    body.pop("source_feedback_id", None)
    for section in SECTION_TABLES:
        body[section] = [{k: v for k, v in entry.items() if k != "id"} for entry in body[section]]
    return body


class Rows:
    """What a user has in the careers tables, read straight from the database."""

    def __init__(self, dsn: str):
        self.dsn = dsn

    def one(self, query: str, *params):
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            return conn.execute(query, params).fetchone()

    def counts(self, user_id: str) -> dict:
        """Résumés (live or not), postings and section rows of the user."""
        counts = {
            "resumes": self.one("SELECT count(*) FROM resumes WHERE owner_id = %s", user_id)[0],
            "postings": self.one("SELECT count(*) FROM job_postings WHERE owner_id = %s", user_id)[0],
        }
        for table in SECTION_TABLES.values():
            query = f"SELECT count(*) FROM {table} t JOIN resumes r ON r.id = t.resume_id WHERE r.owner_id = %s"
            counts[table] = self.one(query, user_id)[0]
        return counts
