"""`make explain-studio`: EXPLAIN (ANALYZE, BUFFERS) of the studio's community reads on `bench_studio`.

No load is generated: each request is made once in-process (after warming up),
with the SQL the gateway really sends captured and explained on a warm
connection. Seed first with `make seed-studio`. `python -m bench.studio_plans
search` explains only the cases whose name holds "search".
"""

import sys

import psycopg
from sqlalchemy import event

from bench.seed_catalog import SEED_PASSWORD
from bench.seed_studio import DATABASE
from gateway.accounts.tokens import generate_private_key_pem
from gateway.app import create_app
from gateway.platform.http import encode_keyset
from gateway.settings import GatewaySettings

URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{DATABASE}"
DSN = f"postgresql://postgres@127.0.0.1:5432/{DATABASE}"
DEEP_POSITION = 50_000  # the deep cursor points half-way through the feed
IGNORED = ("token_revocations",)  # authentication's own round trip


def facts(conn: psycopg.Connection) -> dict:
    """A busy viewer, the most followed artist, the most commented image, the most used style, a deep cursor."""
    one = lambda sql: conn.execute(sql).fetchone()  # noqa: E731
    at, generation_id = one(
        "SELECT completed_at, id FROM generations WHERE status = 'completed' AND is_public "
        f"ORDER BY completed_at DESC, id DESC OFFSET {DEEP_POSITION} LIMIT 1"
    )
    return {
        "viewer": one("SELECT username FROM users WHERE username LIKE 'viewer%' ORDER BY following_count DESC")[0],
        "star": one("SELECT id FROM users WHERE 'artist' = ANY (roles) ORDER BY follower_count DESC")[0],
        "hot": one("SELECT id FROM generations ORDER BY comment_count DESC")[0],
        "style": one("SELECT id FROM styles ORDER BY generation_count DESC")[0],
        "deep": encode_keyset(at, generation_id),
    }


def cases(f: dict, auth: dict) -> dict[str, tuple[str, dict, dict]]:
    return {
        "feed, first page, anonymous": ("/api/generations/feed", {}, {}),
        "feed, first page, signed in": ("/api/generations/feed", {}, auth),
        f"feed, {DEEP_POSITION:,} rows deep, signed in": ("/api/generations/feed", {"cursor": f["deep"]}, auth),
        "feed of the most used style": ("/api/generations/feed", {"style_id": f["style"]}, auth),
        "feed of one artist's images": ("/api/generations/feed", {"user_id": f["star"]}, auth),
        "search all: watercolor (500 styles match)": ("/api/search", {"q": "watercolor"}, auth),
        "search styles: 수채화 (500 match)": ("/api/search", {"q": "수채화", "type": "styles"}, {}),
        "search styles: 수채화 항구 (two words)": ("/api/search", {"q": "수채화 항구", "type": "styles"}, {}),
        "search styles: 숲 (one character)": ("/api/search", {"q": "숲", "type": "styles"}, {}),
        "search styles: no match": ("/api/search", {"q": "zzqxj", "type": "styles"}, {}),
        "search artists: kim": ("/api/search", {"q": "kim", "type": "artists"}, auth),
        "search artists: ha (two characters)": ("/api/search", {"q": "ha", "type": "artists"}, auth),
        "styles, sort=popular": ("/api/styles", {"sort": "popular"}, {}),
        "styles, tag=수채화": ("/api/styles", {"tag": "수채화"}, {}),
        "profile of the most followed artist": (f"/api/users/{f['star']}", {}, auth),
        "followers of the most followed artist": (f"/api/users/{f['star']}/followers", {}, auth),
        "comments on the most commented image": (f"/api/generations/{f['hot']}/comments", {}, auth),
    }


def main() -> None:
    settings = GatewaySettings(
        _env_file=None,
        database_url=URL,
        jwt_private_key=generate_private_key_pem(),
        rate_limit_prefix="explain-studio",
    )
    app = create_app(settings)
    client, captured = app.test_client(), []
    event.listen(
        app.extensions["gateway"].db.engine,
        "before_cursor_execute",
        lambda conn, cursor, statement, parameters, context, many: captured.append((statement, parameters)),
    )
    with psycopg.connect(DSN, autocommit=True) as conn:
        f = facts(conn)
        login = {"username": f["viewer"], "password": SEED_PASSWORD}
        auth = {"Authorization": f"Bearer {client.post('/api/auth/login', json=login).json['access_token']}"}
        for name, (path, query, headers) in cases(f, auth).items():
            if sys.argv[1:] and not any(word in name for word in sys.argv[1:]):
                continue
            client.get(path, query_string=query, headers=headers)  # warm up
            captured.clear()
            answer = client.get(path, query_string=query, headers=headers)
            assert answer.status_code == 200, (name, answer.json)
            print(f"\n### {name}: GET {path} {query or ''}")
            for statement, params in captured:
                if any(word in statement for word in IGNORED):
                    continue
                plan = conn.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {statement}", params).fetchall()
                print("\n".join(row[0] for row in plan), end="\n\n")


if __name__ == "__main__":
    main()
