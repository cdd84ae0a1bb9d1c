"""`make seed-studio`: the style studio at benchmark size, in a database of its own (`bench_studio`), loaded by COPY.

1,000 artists and 9,000 other users; 10,000 trained public styles (and 600 private, untrained, failed or
deleted ones) named and tagged in Korean and English; 100,000 completed public generations (and 5,000
private or failed ones); 300,000 likes, 30,000 comments and 40,000 follows, skewed towards a few popular
works and artists as real ones are, every counter equal to the rows it counts. Skips (exit 0) if the
database already has styles; `--reset` drops it and loads again. Seeded users sign in with their username
(in `users`) and SEED_PASSWORD.
"""

import argparse
import dataclasses
import random
import time

import psycopg
from sqlalchemy.engine import make_url

from bench.seed_catalog import SEED_PASSWORD, Clock, psycopg_dsn
from bench.seed_studio_words import COMMENTS, PROMPTS, artist_username, style_text
from gateway.accounts.passwords import hash_password
from gateway.migrate import create_database_if_missing, upgrade
from gateway.settings import GatewaySettings
from gateway.studio.rules import ASPECT_RATIO_COSTS
from shared.messages.styles import ASPECT_RATIO_SIZES

DATABASE = "bench_studio"
EMAIL_DOMAIN = "seed-studio.example.com"
DAY = 86_400
STYLE_DAYS, GENERATION_DAYS = 700, 365  # styles were published over two years, images made over the last one
SIGNATURE_STEP = 0x9E3779B97F4A7C15  # odd: i * step mod 2**63 is a different signature id for every i
VARIANT_MASK = ~((0xF000 << 64) | (0xC000 << 48))
VERSION_4 = (0x4000 << 64) | (0x8000 << 48)
TABLES = ("users", "styles", "generations", "generation_likes", "generation_comments", "follows")


@dataclasses.dataclass(frozen=True)
class Size:
    artists: int = 1_000
    users: int = 9_000
    styles: int = 10_000
    hidden_styles: int = 600
    generations: int = 100_000
    hidden_generations: int = 5_000
    likes: int = 300_000
    comments: int = 30_000
    follows: int = 40_000


class Loader:
    """Makes every row in memory (plain Python, about ten seconds), then hands each table to COPY."""

    def __init__(self, size: Size, rng: random.Random, now: int):
        self.size, self.rng, self.now = size, rng, now
        self.clock = Clock(now - (STYLE_DAYS + 2) * DAY, STYLE_DAYS + 4)
        self.people = size.artists + size.users  # artists first
        self.user_ids = [self._uuid() for _ in range(self.people)]
        self.followers, self.following = [0] * self.people, [0] * self.people

    def _uuid(self) -> str:
        """A random version-4 UUID's text (uuid.UUID() took a tenth of the seed's time)."""
        h = f"{self.rng.getrandbits(128) & VARIANT_MASK | VERSION_4:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def _below(self, n: int) -> int:
        return int(n * self.rng.random())

    def _skewed(self, n: int, power: float) -> int:
        """An index below n, small ones far likelier: a few items get most of the attention."""
        return int(n * self.rng.random() ** power)

    def _later(self, epoch: int, most_seconds: int) -> str:
        """A moment within `most_seconds` after `epoch`, never in the future."""
        return self.clock.text(min(self.now, epoch + 60 + self._below(most_seconds)))

    def plan_styles(self) -> None:
        """Who made each style, its price and state; its row is written once its generations are counted."""
        rng, size = self.rng, self.size
        total = size.styles + size.hidden_styles
        hidden = set(rng.sample(range(total), size.hidden_styles))
        self.style_ids, self.style_artist, self.style_price, self.style_done = [], [], [], []
        self.listed, self.style_images = [], [0] * total
        rows = []
        for i in range(total):
            style_id, artist = self._uuid(), self._skewed(size.artists, 1.5)
            created = self.now - STYLE_DAYS * DAY + int((i + rng.random()) * (STYLE_DAYS - 1) * DAY / total)
            done = created + rng.randint(60, 3_600)
            status, visibility, deleted = "completed", "public", None
            if i in hidden:
                gone = self.clock.text(done + DAY)
                states = [("completed", "private", None), ("queued", "public", None), ("failed", "public", None)]
                status, visibility, deleted = rng.choice([*states, ("completed", "public", gone)])
            else:
                self.listed.append(i)
            price = 0 if rng.random() < 0.3 else rng.choice((10, 20, 30, 50, 100, 200))
            self.style_ids.append(style_id)
            self.style_artist.append(artist)
            self.style_price.append(price)
            self.style_done.append(done)
            name, description, tags = style_text(rng)
            rows.append(
                (i, style_id, artist, name, description, tags, price, status, visibility, created, done, deleted)
            )
        self._styles = rows

    def style_rows(self) -> list[str]:
        out = []
        for (
            i,
            style_id,
            artist,
            name,
            description,
            tags,
            price,
            status,
            visibility,
            created,
            done,
            deleted,
        ) in self._styles:
            trained, failed, none = status == "completed", status == "failed", r"\N"
            at, finished = self.clock.text(created), self.clock.text(done)
            row = [
                style_id, self.user_ids[artist], name, description, _array(tags), str(price), visibility, status,
                "100" if trained else "0", "30" if trained else "0", "30",
                _array([f"styles/{style_id}/image-{n:02d}.png" for n in range(10)]),
                f"styles/{style_id}/model.json" if trained else none,
                '{"loss": 0.012, "epochs": 30}' if trained else none,
                "Training could not read the images" if failed else none, "unreadable_image" if failed else none,
                str(self.style_images[i]), at, finished, none if status == "queued" else finished,
                finished if trained else none, finished if failed else none, deleted or none,
            ]  # fmt: skip
            out.append("\t".join(row) + "\n")
        return out

    def plan_generations(self) -> None:
        """Every generation's fields; likes and comments add to their counts before they are written."""
        rng, size = self.rng, self.size
        total = size.generations + size.hidden_generations
        hidden = set(rng.sample(range(total), size.hidden_generations))
        popular = self.listed[:]
        rng.shuffle(popular)
        self.shown, self.shown_done = [], []
        tag_sets = [_array(rng.sample(PROMPTS, rng.randint(1, 4))) for _ in range(500)]
        rows = []
        for i in range(total):
            generation_id, style = self._uuid(), popular[self._skewed(len(popular), 2.0)]
            user = self._skewed(self.people, 1.3)
            done = self.now - GENERATION_DAYS * DAY + int((i + rng.random()) * (GENERATION_DAYS - 1) * DAY / total)
            done = max(done, self.style_done[style] + 60)
            created = done - 2 - self._below(40)
            ratio = rng.choice(tuple(ASPECT_RATIO_SIZES))
            width, height = ASPECT_RATIO_SIZES[ratio]
            price = self.style_price[style]
            status, public = "completed", True
            if i in hidden:
                status, public = rng.choice((("completed", False), ("failed", True)))
            if status == "completed":
                self.style_images[style] += 1
            if status == "completed" and public:
                self.shown.append(i)
                self.shown_done.append(done)
            tags = tag_sets[self._below(len(tag_sets))]
            metadata = (
                f'{{"width": {width}, "height": {height}, "engine": "embedded"}}' if status == "completed" else r"\N"
            )
            failed = status == "failed"
            rows.append(
                [
                    generation_id, self.user_ids[user], self.style_ids[style], self.user_ids[self.style_artist[style]],
                    tags, ratio, str(rng.getrandbits(32)), str(ASPECT_RATIO_COSTS[ratio] + price), str(price), status,
                    "100", "4", "4", r"\N" if failed else f"generations/{generation_id}.png",
                    str((i + 1) * SIGNATURE_STEP % 2**63), metadata,
                    "the engine gave up" if failed else r"\N", "engine_error" if failed else r"\N",
                    "t" if public else "f", "0", "0", self.clock.text(created), self.clock.text(done),
                    self.clock.text(created + 1), r"\N" if failed else self.clock.text(done),
                    self.clock.text(done) if failed else r"\N",
                ]
            )  # fmt: skip
        self._generations = rows
        self.like_counts, self.comment_counts = [0] * total, [0] * total

    def generation_rows(self) -> list[str]:
        out = []
        for row, likes, comments in zip(self._generations, self.like_counts, self.comment_counts, strict=True):
            row[19], row[20] = str(likes), str(comments)
            out.append("\t".join(row) + "\n")
        return out

    def reactions(self) -> tuple[list[str], list[str]]:
        """(likes, comments) on public completed generations; their counts go into the generations' rows."""
        rng, size, shown = self.rng, self.size, self.shown
        order = list(range(len(shown)))
        rng.shuffle(order)
        likes, seen = [], set()
        while len(likes) < size.likes:
            k, user = order[self._skewed(len(order), 3.0)], self._below(self.people)
            if (k, user) in seen:
                continue
            seen.add((k, user))
            self.like_counts[shown[k]] += 1
            at = self._later(self.shown_done[k], 30 * DAY)
            likes.append(f"{self._generations[shown[k]][0]}\t{self.user_ids[user]}\t{at}\n")
        likes.sort()  # in primary-key order: COPY extends the (generation_id, user_id) index instead of splitting it
        comments = []
        for _ in range(size.comments):
            k = order[self._skewed(len(order), 2.0)]
            self.comment_counts[shown[k]] += 1
            at, author = self._later(self.shown_done[k], 30 * DAY), self.user_ids[self._below(self.people)]
            body = COMMENTS[self._below(len(COMMENTS))]
            comments.append(f"{self._uuid()}\t{self._generations[shown[k]][0]}\t{author}\t{body}\t{at}\t{at}\n")
        return likes, comments

    def follows(self) -> list[str]:
        rng, size, rows, seen = self.rng, self.size, [], set()
        while len(rows) < size.follows:
            follower = self._below(self.people)
            followee = self._skewed(size.artists, 2.0) if rng.random() < 0.8 else self._below(self.people)
            if follower == followee or (follower, followee) in seen:
                continue
            seen.add((follower, followee))
            self.followers[followee] += 1
            self.following[follower] += 1
            at = self.clock.text(self.now - 60 - self._below(300 * DAY))
            rows.append(f"{self.user_ids[follower]}\t{self.user_ids[followee]}\t{at}\n")
        return rows

    def users(self) -> list[str]:
        password_hash, taken, rows = hash_password(SEED_PASSWORD), set(), []
        at = self.clock.text(self.now - (STYLE_DAYS + 1) * DAY)
        for n, user_id in enumerate(self.user_ids):
            artist = n < self.size.artists
            name = artist_username(self.rng, taken) if artist else f"viewer{n:05d}"
            roles = "{user,artist}" if artist else "{user}"
            rows.append(
                f"{user_id}\t{name}@{EMAIL_DOMAIN}\t{name}\t{password_hash}\t{roles}\tt\t"
                f"{self.followers[n]}\t{self.following[n]}\t{at}\t{at}\n"
            )
        return rows


def _array(values: list[str]) -> str:
    """A Postgres array literal for COPY (the seed's words hold no quotes or backslashes)."""
    return "{" + ",".join(f'"{value}"' for value in values) + "}"


COLUMNS = {
    "users": "id, email, username, password_hash, roles, email_verified, follower_count, following_count, "
    "created_at, updated_at",
    "styles": "id, artist_id, name, description, tags, price_per_generation, visibility, status, progress_percent, "
    "current_epoch, total_epochs, image_keys, model_key, training_metric, error, error_code, generation_count, "
    "created_at, updated_at, started_at, completed_at, failed_at, deleted_at",
    "generations": "id, user_id, style_id, artist_id, prompt_tags, aspect_ratio, seed, cost, style_price, status, "
    "progress_percent, current_step, total_steps, result_key, signature_id, metadata, error, error_code, "
    "is_public, like_count, comment_count, created_at, updated_at, started_at, completed_at, failed_at",
    "generation_likes": "generation_id, user_id, created_at",
    "generation_comments": "id, generation_id, author_id, body, created_at, updated_at",
    "follows": "follower_id, followee_id, created_at",
}


def seed(database_url: str, size: Size = Size(), random_seed: int = 1) -> dict[str, int]:
    """Load the studio into an empty, migrated database; rows per table."""
    loader = Loader(size, random.Random(random_seed), int(time.time()))
    loader.plan_styles()
    loader.plan_generations()
    likes, comments = loader.reactions()
    follows = loader.follows()
    tables = {
        "users": loader.users(),
        "styles": loader.style_rows(),
        "generations": loader.generation_rows(),
        "generation_likes": likes,
        "generation_comments": comments,
        "follows": follows,
    }
    dsn = psycopg_dsn(database_url)
    with psycopg.connect(dsn) as conn:
        conn.execute(f"TRUNCATE {', '.join(TABLES)} CASCADE")  # FREEZE needs the tables emptied in this transaction
        conn.execute("SET LOCAL maintenance_work_mem = '256MB'")
        if conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()[0]:
            conn.execute(
                "SET LOCAL session_replication_role = replica"
            )  # the rows reference each other by construction
        indexes = _plain_indexes(conn)
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        for table, rows in tables.items():
            with conn.cursor().copy(f"COPY {table} ({COLUMNS[table]}) FROM STDIN (FREEZE)") as copy:
                for start in range(0, len(rows), 20_000):
                    copy.write("".join(rows[start : start + 20_000]))
        for _, definition in indexes:
            conn.execute(definition)
        conn.commit()
        conn.autocommit = True
        conn.execute(f"ANALYZE {', '.join(TABLES)}")  # COPY FREEZE has already set the visibility map
    return {table: len(rows) for table, rows in tables.items()}


def _plain_indexes(conn: psycopg.Connection) -> list[tuple[str, str]]:
    """Indexes backing no constraint on the loaded tables: rebuilt after the load, much faster than upkeep."""
    return conn.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = ANY(%s::regclass[]) AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.oid)",
        (list(TABLES),),
    ).fetchall()


def bench_url(database_url: str, database: str = DATABASE) -> str:
    return make_url(database_url).set(database=database).render_as_string(hide_password=False)


def prepare(url: str, reset: bool, probe: str = "styles") -> bool:
    """Create (or, with reset, recreate) and migrate the database; False if its `probe` table already has rows."""
    target = make_url(url)
    admin = psycopg_dsn(target.set(database="postgres").render_as_string(hide_password=False))
    if reset:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')
    if not create_database_if_missing(url):
        with psycopg.connect(psycopg_dsn(url)) as conn:
            has_table = conn.execute("SELECT to_regclass(%s) IS NOT NULL", (probe,)).fetchone()[0]
            if has_table and conn.execute(f"SELECT EXISTS (SELECT FROM {probe})").fetchone()[0]:
                return False
    upgrade(url)
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DATABASE, help="created and migrated if missing")
    parser.add_argument("--reset", action="store_true", help="drop the database first, then load again")
    parser.add_argument("--random-seed", type=int, default=1)
    args = parser.parse_args()
    url = bench_url(GatewaySettings().database_url, args.database)
    if not prepare(url, args.reset):
        print(f"{args.database} already holds the studio: nothing loaded (pass --reset to load it again)")
        return
    started = time.perf_counter()
    counts = seed(url, random_seed=args.random_seed)
    print(
        ", ".join(f"{count:,} {table}" for table, count in counts.items())
        + f" into {args.database} in {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
