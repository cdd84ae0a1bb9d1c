"""Search: styles by name, tags and description, artists by username, in Korean and English, ranked, paged."""

import uuid

import pytest

from gateway.platform.db import Database


def search(studio, headers=None, **query):
    return studio.client.get("/api/search", query_string=query, headers=headers or {})


def ranked(response, section: str, ours: set[str]) -> list[str]:
    """The ids of our own results, in the order given (other tests' styles may match too)."""
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json[section]["items"] if item["id"] in ours]


@pytest.fixture
def artist(studio):
    return studio.artist()


def test_english_ranks_name_above_tags_above_description(studio, artist):
    word = f"xanthic{uuid.uuid4().hex[:6]}"
    in_name = studio.trained(artist, name=f"{word.title()} Harbour", description="Boats at rest")
    in_tags = studio.trained(artist, name="Misty Morning", tags=f"{word}, fog")
    in_text = studio.trained(artist, name="Quiet Bay", description=f"A {word} glow over the water")
    private = studio.trained(artist, name=f"{word} private", visibility="private")
    untrained = studio.style(artist, name=f"{word} untrained")
    deleted = studio.trained(artist, name=f"{word} deleted")
    studio.client.delete(f"/api/styles/{deleted['id']}", headers=artist.headers)
    ours = {s["id"] for s in (in_name, in_tags, in_text, private, untrained, deleted)}
    expected = [in_name["id"], in_tags["id"], in_text["id"]]
    answer = search(studio, q=f"  {word.upper()} ", type="styles")
    assert ranked(answer, "styles", ours) == expected
    assert answer.json["q"] == word and answer.json["artists"] is None
    hit = answer.json["styles"]["items"][0]
    assert hit["score"] > answer.json["styles"]["items"][1]["score"] and hit["artist"]["id"] == artist.user["id"]
    assert ranked(search(studio, q=word[:5] + word[7:]), "styles", ours) == []  # not a typo search
    assert ranked(search(studio, q=word[:-2], type="styles"), "styles", ours) == expected  # a word's prefix
    assert ranked(search(studio, q=f"{word} harbour", type="styles"), "styles", ours) == [in_name["id"]]


def test_korean_words_prefixes_and_substrings(studio, artist):
    mark = uuid.uuid4().hex[:6]
    name_hit = studio.trained(artist, name=f"수채화풍 항구 {mark}", tags="바다")
    text_hit = studio.trained(artist, name=f"Soft Harbour {mark}", description="부드러운 수채화 느낌의 항구 풍경")
    tag_hit = studio.trained(artist, name=f"Evening {mark}", tags="수채화, 노을")
    ours = {name_hit["id"], text_hit["id"], tag_hit["id"]}
    assert ranked(search(studio, q="수채화", type="styles"), "styles", ours) == [
        name_hit["id"],
        tag_hit["id"],
        text_hit["id"],
    ]
    # a two-character word prefix (full-text) finds all three; a substring inside a word needs 3+ characters
    assert set(ranked(search(studio, q="수채", type="styles"), "styles", ours)) == ours
    assert ranked(search(studio, q="채화풍", type="styles"), "styles", ours) == [name_hit["id"]]
    assert ranked(search(studio, q=f"항구 {mark}", type="styles"), "styles", ours)[0] == name_hit["id"]
    # one or two characters match word beginnings only: no index finds them inside a word (documented)
    assert ranked(search(studio, q="채화", type="styles"), "styles", ours) == []
    assert ranked(search(studio, q="노", type="styles"), "styles", ours) == [tag_hit["id"]]
    assert ranked(search(studio, q="노을", type="all"), "styles", ours) == [tag_hit["id"]]


def make_artist(studio, accounts, username: str):
    accounts.sign_up(username)
    who = accounts.login(username)
    headers = {"Authorization": f"Bearer {who['access_token']}"}
    assert studio.client.post("/api/users/me/upgrade-to-artist", headers=headers).status_code == 200
    return studio.client.get("/api/auth/me", headers=headers).json["id"]


def test_artists_by_username_exact_first_and_only_artists(studio, accounts, alice):
    base = f"kimsu{uuid.uuid4().hex[:6]}"
    exact = make_artist(studio, accounts, base)
    longer = make_artist(studio, accounts, f"{base}ng")
    inside = make_artist(studio, accounts, f"x{base}y")
    accounts.sign_up(f"{base}plain")  # not an artist: never listed
    studio.client.post(f"/api/users/{longer}/follow", headers=alice.headers)
    answer = search(studio, alice.headers, q=base.upper(), type="artists")
    ours = {exact, longer, inside}
    assert ranked(answer, "artists", ours) == [exact, longer, inside] and answer.json["styles"] is None
    items = {item["id"]: item for item in answer.json["artists"]["items"]}
    assert len(items) == 3 and items[longer]["followed_by_me"] is True and items[exact]["followed_by_me"] is False
    assert items[longer]["follower_count"] == 1 and items[exact]["is_artist"] is True
    assert search(studio, q=base, type="artists").json["artists"]["items"][0]["followed_by_me"] is None
    assert ranked(search(studio, q=base[:2] + base[-2:], type="artists"), "artists", ours) == []
    short = search(studio, q=base[:2], type="artists", limit=50).json["artists"]["items"]
    assert all(item["username"].startswith(base[:2]) for item in short)  # two characters: the start of a name


def test_pages_follow_the_cursor_of_their_type(studio, artist):
    word = f"umber{uuid.uuid4().hex[:6]}"
    made = {studio.trained(artist, name=f"{word} {n}")["id"] for n in range(3)}
    seen, cursor = [], None
    while True:
        query = {"q": word, "type": "styles", "limit": 1, **({"cursor": cursor} if cursor else {})}
        page = search(studio, **query).json["styles"]
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert set(seen) == made and len(seen) == 3
    first = search(studio, q=word, type="all", limit=1).json
    assert first["styles"]["next_cursor"] and first["artists"] == {"items": [], "next_cursor": None}
    cursor = first["styles"]["next_cursor"]
    for kind in ("artists", "all"):
        wrong = search(studio, q=word, type=kind, cursor=cursor)
        assert wrong.status_code == 422 and wrong.json["errors"][0]["pointer"] == "/cursor"


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "a" * 101},
        {"q": "가" * 101},
        {"q": "x", "type": "people"},
        {"q": "x", "limit": 0},
        {"q": "x", "limit": 51},
        {"q": "x", "limit": "ten"},
        {"q": "x", "cursor": "garbage"},
    ],
)
def test_bad_searches_are_422(studio, query):
    response = search(studio, **query)
    assert response.status_code == 422 and response.content_type == "application/problem+json"
    assert response.json["errors"][0]["location"] == "query"


@pytest.mark.parametrize("q", ["%", "_", "'", "\\", "a:*|b", "!!!", "가" * 100, "o'neil & (x)"])
def test_odd_queries_are_searched_literally(studio, q):
    response = search(studio, q=q)
    assert response.status_code == 200 and response.json["q"] == q.lower()


def test_a_bad_token_is_401(studio):
    assert search(studio, {"Authorization": "Bearer not.a.token"}, q="x").status_code == 401


def test_search_reads_with_generic_plans_and_other_reads_keep_postgres_choice(database_url, fast_paths_on):
    """Search's statements run on connections that never re-plan them per query text; other reads do not."""
    database = Database(database_url + "?options=-c%20statement_timeout%3D5000", pool_size=1)
    try:
        uow = database.uow()
        with uow.reading(generic_plans=True) as conn:
            assert conn.execute("SHOW plan_cache_mode").fetchone()[0] == "force_generic_plan"
            assert conn.execute("SHOW statement_timeout").fetchone()[0] == "5s"  # the URL's options kept
        with uow.reading() as conn:
            assert conn.execute("SHOW plan_cache_mode").fetchone()[0] == "auto"
    finally:
        database.dispose()
