"""`make seed`: a million exams and a million courses, users and registrations, loaded with COPY.

Skips (exit 0) if the catalog already has rows; `--reset` empties the catalog, its
registrations, the payments for catalog items and the seeded users first, then loads
again. Every seeded user signs in as `seeduser00001` ... with SEED_PASSWORD.
"""

import argparse
import dataclasses
import multiprocessing
import random
import time
import uuid
from array import array
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta

import psycopg
from sqlalchemy.engine import make_url

from gateway.accounts.passwords import hash_password
from gateway.settings import GatewaySettings

SEED_EMAIL_DOMAIN = "seed.example.com"
SEED_PASSWORD = "seed-password-1234"
HISTORY_DAYS = 730  # items were created over the last two years, in id order
CHUNK_ROWS = 20_000
ITEM_COLUMNS = "id, title, description, price, start_at, end_at, registration_count, created_at, updated_at"

SUBJECTS = [
    ("정보처리기사", "Information Processing Engineer"), ("토익", "TOEIC"), ("토플", "TOEFL"), ("아이엘츠", "IELTS"),
    ("한국사능력검정", "Korean History"), ("컴퓨터활용능력", "Computer Literacy"), ("전기기사", "Electrical Engineer"),
    ("공인중개사", "Real Estate Agent"), ("파이썬", "Python"), ("자바", "Java"), ("자바스크립트", "JavaScript"),
    ("데이터 분석", "Data Analysis"), ("머신러닝", "Machine Learning"), ("딥러닝", "Deep Learning"), ("SQL", "SQL"),
    ("엑셀", "Excel"), ("회계원리", "Accounting"), ("재무관리", "Corporate Finance"), ("수능 수학", "SAT Math"),
    ("영어 회화", "English Conversation"), ("일본어 JLPT", "Japanese JLPT"), ("중국어 HSK", "Chinese HSK"),
    ("리액트", "React"), ("쿠버네티스", "Kubernetes"), ("AWS 솔루션스 아키텍트", "AWS Solutions Architect"),
    ("리눅스 마스터", "Linux Administration"), ("네트워크 관리사", "Network Administration"), ("통계학", "Statistics"),
    ("미적분", "Calculus"), ("선형대수", "Linear Algebra"), ("UX 디자인", "UX Design"), ("포토샵", "Photoshop"),
    ("마케팅", "Digital Marketing"), ("세무회계", "Tax Accounting"), ("사회조사분석사", "Survey Analysis"),
    ("빅데이터분석기사", "Big Data Analysis"), ("정보보안기사", "Information Security"), ("간호사 국가고시", "Nursing"),
    ("소방설비기사", "Fire Safety Engineer"), ("바리스타", "Barista"), ("한식조리기능사", "Korean Cuisine"),
    ("Go", "Go"), ("러스트", "Rust"), ("알고리즘", "Algorithms"), ("운영체제", "Operating Systems"),
]  # fmt: skip
LEVELS = [("", ""), ("기초 ", "Beginner "), ("중급 ", "Intermediate "), ("고급 ", "Advanced "), ("실전 ", "Hands-on ")]


@dataclasses.dataclass(frozen=True)
class Kind:
    """What differs between exams and courses, as the seed sees it."""

    table: str
    registrations: str
    item_column: str
    at_column: str
    active_status: str
    window_days: tuple[int, int]
    lead_days: tuple[int, int]
    names_ko: tuple[str, ...]
    names_en: tuple[str, ...]
    blurb_ko: str
    blurb_en: str


EXAMS = Kind(
    "tests", "test_registrations", "test_id", "applied_at", "applied", (7, 45), (3, 120),
    ("모의고사", "실전 모의고사", "기출문제 테스트", "자격증 시험", "레벨 테스트", "진단평가", "최종 평가"),
    ("Practice Test", "Mock Exam", "Certification Exam", "Placement Test", "Final Assessment", "Quiz"),
    "{s} 시험을 준비하는 분들을 위한 {n}입니다. 실제 시험과 같은 형식과 시간으로 치르며, "
    "응시 후 영역별 점수와 해설을 제공합니다.",
    "A {n} for {s}: same format and timing as the real exam, with a score report and explanations per section.",
)  # fmt: skip
COURSES = Kind(
    "courses", "course_registrations", "course_id", "enrolled_at", "enrolled", (14, 120), (1, 90),
    ("입문 강좌", "완성반", "집중반", "실무 과정", "부트캠프", "마스터클래스", "단기 특강"),
    ("Bootcamp", "Masterclass", "Crash Course", "Fundamentals", "In Depth", "Workshop", "for Professionals"),
    "{s} {n}: 매주 라이브 강의와 과제, 질의응답으로 진행되며 수료 시 수료증을 드립니다. "
    "초보자도 따라올 수 있도록 구성했습니다.",
    "{s} {n}: weekly live lectures, assignments and Q&A sessions; a certificate of completion at the end.",
)  # fmt: skip


@dataclasses.dataclass
class Report:
    items: int
    users: int
    registrations: int
    seconds: float


class Clock:
    """Epoch seconds -> timestamptz text for COPY, from two small lookup tables."""

    def __init__(self, origin: int, days: int):
        self.origin = origin = origin // 86400 * 86400  # midnight UTC
        base = datetime.fromtimestamp(origin, UTC)
        self.days = [(base + timedelta(days=d)).strftime("%Y-%m-%d ") for d in range(days)]
        self.times = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}+00" for s in range(86400)]

    def text(self, epoch: int) -> str:
        offset = epoch - self.origin
        return self.days[offset // 86400] + self.times[offset % 86400]


def _title_pool(kind: Kind, rng: random.Random, size: int = 50_000) -> list[tuple[str, str]]:
    """Varied (title, description) pairs, half Korean, half English."""
    pool = []
    for _ in range(size):
        ko, en = rng.choice(SUBJECTS)
        level_ko, level_en = rng.choice(LEVELS)
        edition = rng.randrange(1, 40)
        if rng.random() < 0.5:
            name = rng.choice(kind.names_ko)
            suffix = rng.choice((f" {edition}회", f" {2020 + edition % 7}년", f" 시즌 {edition}", ""))
            pool.append((f"{level_ko}{ko} {name}{suffix}", kind.blurb_ko.format(s=ko, n=name)))
        else:
            name = rng.choice(kind.names_en)
            suffix = rng.choice((f" #{edition}", f" {2020 + edition % 7} Edition", f" Vol. {edition}", ""))
            pool.append((f"{level_en}{en} {name}{suffix}", kind.blurb_en.format(s=en, n=name)))
    return pool


@dataclasses.dataclass
class Windows:
    """Per item (index = id - 1), epoch seconds: when it was created, when its window opens and closes."""

    created: array
    starts: array
    ends: array


def _windows(kind: Kind, n: int, rng: random.Random, now: int) -> Windows:
    """created_at rises with the id; the window opens a while after creation, on the hour."""
    w = Windows(array("q", bytes(8 * n)), array("q", bytes(8 * n)), array("q", bytes(8 * n)))
    span, first = HISTORY_DAYS * 86400, now - HISTORY_DAYS * 86400
    lead_lo, lead_hi = kind.lead_days[0] * 86400, kind.lead_days[1] * 86400
    win_lo, win_hi = kind.window_days[0] * 24, kind.window_days[1] * 24
    for i in range(n):
        c = first + int((i + rng.random()) * span / n)
        s = (c + rng.randint(lead_lo, lead_hi)) // 3600 * 3600
        w.created[i], w.starts[i], w.ends[i] = c, s, s + rng.randint(win_lo, win_hi) * 3600
    return w


def _registrations(kind: Kind, w: Windows, wanted: int, user_ids: list[str], rng: random.Random, now: int, clock):
    """(COPY rows, live registrations per item): unique per (user, item), skewed popularity, opened items only."""
    n = len(w.starts)
    counts = array("i", bytes(4 * n))
    opened = sum(1 for s in w.starts if s <= now)
    wanted = min(wanted, opened * len(user_ids) // 2)  # tiny seeds: leave room to find unique pairs
    order = list(range(n))
    rng.shuffle(order)
    seen, rows = set(), []
    while len(rows) < wanted:
        item = order[int(n * rng.random() ** 2)]  # rank r drawn with density ~ 1/sqrt(r): a few items are hits
        user = rng.randrange(len(user_ids))
        if w.starts[item] > now or (user, item) in seen:
            continue
        seen.add((user, item))
        start, end = w.starts[item], w.ends[item]
        at = start + int(rng.random() * (min(end, now) - start))
        roll, completed, cancelled = rng.random(), r"\N", r"\N"
        if end <= now and roll < 0.6:
            status, completed = "completed", clock.text(end)
        elif roll > 0.9:
            status, cancelled = "cancelled", clock.text(min(at + 3600, now))
        else:
            status = kind.active_status
        if status != "cancelled":
            counts[item] += 1
        rows.append(f"{user_ids[user]}\t{item + 1}\t{status}\t{clock.text(at)}\t{completed}\t{cancelled}\n")
    return rows, counts


def _item_chunks(kind: Kind, w: Windows, counts: array, rng: random.Random, clock):
    """COPY text of the items, CHUNK_ROWS rows at a time."""
    pool = _title_pool(kind, rng)
    chunk = []
    for i in range(len(w.starts)):
        title, description = pool[int(rng.random() * len(pool))]
        price = 0 if rng.random() < 0.08 else int(300 * rng.random() ** 2 + 1) * 1000  # many cheap, a few dear
        start, end, created = clock.text(w.starts[i]), clock.text(w.ends[i]), clock.text(w.created[i])
        chunk.append(f"{i + 1}\t{title}\t{description}\t{price}\t{start}\t{end}\t{counts[i]}\t{created}\t{created}\n")
        if len(chunk) == CHUNK_ROWS:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)


def _load_kind(dsn: str, kind: Kind, n: int, wanted: int, user_ids: list[str], now: int, random_seed: int) -> int:
    """One transaction: empty the tables, drop their indexes, COPY FREEZE, rebuild the indexes."""
    rng = random.Random(f"{random_seed}-{kind.table}")
    clock = Clock(now - (HISTORY_DAYS + 1) * 86400, HISTORY_DAYS + 400)
    windows = _windows(kind, n, rng, now)
    registrations, counts = _registrations(kind, windows, wanted, user_ids, rng, now, clock) if n else ([], [])
    with psycopg.connect(dsn) as conn:
        # FREEZE needs the tables emptied in this transaction; then index-only scans need no VACUUM first
        conn.execute(f"TRUNCATE {kind.table}, {kind.registrations} RESTART IDENTITY")
        conn.execute("SET LOCAL maintenance_work_mem = '512MB'")
        indexes = _plain_indexes(conn, (kind.table, kind.registrations))
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        with conn.cursor().copy(f"COPY {kind.table} ({ITEM_COLUMNS}) FROM STDIN (FREEZE)") as copy:
            for chunk in _item_chunks(kind, windows, counts, rng, clock):
                copy.write(chunk)
        if conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()[0]:
            # the rows reference users and items made above by construction; skipping 400,000 foreign-key
            # checks (and the row locks they take on users, shared by both loaders) saves ~10 s, as pg_dump does
            conn.execute("SET LOCAL session_replication_role = replica")
        columns = f"user_id, {kind.item_column}, status, {kind.at_column}, completed_at, cancelled_at"
        with conn.cursor().copy(f"COPY {kind.registrations} ({columns}) FROM STDIN (FREEZE)") as copy:
            for start in range(0, len(registrations), CHUNK_ROWS):
                copy.write("".join(registrations[start : start + CHUNK_ROWS]))
        for _, definition in indexes:
            conn.execute(definition)
        if n:
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{kind.table}', 'id'), {n})")
        conn.commit()
        conn.autocommit = True
        conn.execute(f"ANALYZE {kind.table}, {kind.registrations}")
    return len(registrations)


def _plain_indexes(conn: psycopg.Connection, tables: tuple[str, ...]) -> list[tuple[str, str]]:
    """Indexes that back no constraint (those stay): rebuilt after the load, which is much faster than upkeep."""
    return conn.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = ANY(%s::regclass[]) "
        "AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.oid)",
        (list(tables),),
    ).fetchall()


def _load_users(conn: psycopg.Connection, count: int, rng: random.Random, now: int) -> list[str]:
    """`count` users sharing one real argon2 hash (hashing each would take minutes)."""
    password_hash = hash_password(SEED_PASSWORD)
    at = datetime.fromtimestamp(now - HISTORY_DAYS * 86400, UTC).isoformat()
    ids = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(count)]
    columns = "id, email, username, password_hash, roles, email_verified, created_at, updated_at"
    with conn.cursor().copy(f"COPY users ({columns}) FROM STDIN") as copy:
        for number, user_id in enumerate(ids, 1):
            name = f"seeduser{number:05d}"
            copy.write(f"{user_id}\t{name}@{SEED_EMAIL_DOMAIN}\t{name}\t{password_hash}\t{{user}}\tt\t{at}\t{at}\n")
    return ids


def psycopg_dsn(database_url: str) -> str:
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def already_seeded(dsn: str) -> bool:
    with psycopg.connect(dsn) as conn:
        return conn.execute("SELECT EXISTS (SELECT FROM tests) OR EXISTS (SELECT FROM courses)").fetchone()[0]


def reset(dsn: str) -> None:
    """Empty the catalog and remove what the seed made (payments for catalog items would point at new items)."""
    with psycopg.connect(dsn) as conn:
        conn.execute("TRUNCATE tests, courses, test_registrations, course_registrations RESTART IDENTITY")
        conn.execute("DELETE FROM payments WHERE target_type IN ('test', 'course')")
        conn.execute("DELETE FROM users WHERE email LIKE %s", (f"%@{SEED_EMAIL_DOMAIN}",))


def seed(
    database_url: str, n: int = 1_000_000, users: int = 10_000, registrations: int = 200_000, random_seed: int = 1
) -> Report:
    """Replace the catalog: `n` exams and `n` courses, `users` users, up to `registrations` of each kind."""
    started = time.perf_counter()
    dsn, now = psycopg_dsn(database_url), int(time.time())
    reset(dsn)
    with psycopg.connect(dsn) as conn:
        user_ids = _load_users(conn, users, random.Random(random_seed), now)
        conn.commit()
        conn.autocommit = True
        conn.execute("ANALYZE users")
    # one process per kind: making rows is CPU-bound Python, and each kind's COPY and index builds overlap the other's
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        jobs = [pool.submit(_load_kind, dsn, k, n, registrations, user_ids, now, random_seed) for k in (EXAMS, COURSES)]
        loaded = sum(job.result() for job in jobs)
    return Report(2 * n, users, loaded, time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000, help="exams, and as many courses")
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--registrations", type=int, default=200_000, help="of each kind")
    parser.add_argument("--random-seed", type=int, default=1)
    parser.add_argument("--reset", action="store_true", help="empty the catalog and the seeded users, then load")
    args = parser.parse_args()
    url = GatewaySettings().database_url
    if not args.reset and already_seeded(psycopg_dsn(url)):
        print("the catalog already has rows: nothing loaded (pass --reset to empty it and load again)")
        return
    report = seed(url, args.items, args.users, args.registrations, args.random_seed)
    print(
        f"seeded {report.items:,} catalog items, {report.users:,} users and {report.registrations:,} registrations "
        f"into {make_url(url).database} in {report.seconds:.1f} s"
    )


if __name__ == "__main__":
    main()
