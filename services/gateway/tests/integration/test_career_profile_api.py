"""GET/PUT /api/users/me/profile: the caller's own profile, set field by field; bad input is a 422 that changes
nothing; nobody reads or writes anyone else's."""

import psycopg
import pytest

URL = "/api/users/me/profile"
FULL = {
    "name": "김하늘",
    "phone": "010-1234-5678",
    "address": "서울특별시 강남구 테헤란로 123",
    "birth_date": "1996-04-12",
    "gender": "2",
    "military_service": "6",
}
FIELDS = ("name", "phone", "address", "birth_date", "gender", "military_service")


@pytest.fixture
def dsn(database_url):
    return database_url.replace("postgresql+psycopg://", "postgresql://")


def stored(dsn: str, who) -> tuple | None:
    with psycopg.connect(dsn) as conn:
        query = f"SELECT {', '.join(FIELDS)}, updated_at FROM career_profiles WHERE user_id = %s"
        return conn.execute(query, (who.user["id"],)).fetchone()


def put(client, who, body):
    return client.put(URL, json=body, headers=who.headers)


def test_before_the_first_put_every_field_is_null_and_nothing_is_stored(client, alice, dsn):
    response = client.get(URL, headers=alice.headers)
    assert response.status_code == 200, response.json
    assert set(response.json.values()) == {None}
    assert set(response.json) == {*FIELDS, "gender_label", "military_service_label", "updated_at"}
    assert stored(dsn, alice) is None


def test_a_put_sets_the_profile_and_a_get_reads_it_back_with_labels(client, alice, dsn):
    response = put(client, alice, FULL)
    assert response.status_code == 200, response.json
    body = response.json
    assert {field: body[field] for field in FIELDS} == FULL
    assert body["gender_label"] == {"ko": "여성", "en": "Female"}
    assert body["military_service_label"] == {"ko": "해당없음", "en": "Not applicable"}
    assert body["updated_at"] is not None
    assert client.get(URL, headers=alice.headers).json == body
    assert stored(dsn, alice)[0] == "김하늘"


def test_a_field_left_out_keeps_its_value_and_null_clears_it(client, alice):
    put(client, alice, FULL)
    first = client.get(URL, headers=alice.headers).json
    response = put(client, alice, {"phone": "+82 10 9876 5432", "address": None})
    assert response.status_code == 200, response.json
    body = response.json
    assert body["phone"] == "+82 10 9876 5432" and body["address"] is None
    assert {field: body[field] for field in ("name", "birth_date", "gender", "military_service")} == {
        field: FULL[field] for field in ("name", "birth_date", "gender", "military_service")
    }
    assert body["updated_at"] > first["updated_at"]


def test_surrounding_spaces_are_dropped_and_a_blank_field_is_cleared(client, alice):
    put(client, alice, FULL)
    body = put(client, alice, {"name": "  Mina Kim  ", "address": "   "}).json
    assert body["name"] == "Mina Kim" and body["address"] is None


def test_an_empty_body_changes_no_field(client, alice):
    put(client, alice, FULL)
    body = put(client, alice, {}).json
    assert {field: body[field] for field in FIELDS} == FULL


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "가" * 51}, "name"),
        ({"name": "Mina\nKim"}, "name"),
        ({"name": "Mina\u202eKim"}, "name"),
        ({"name": 12}, "name"),
        ({"phone": "call me"}, "phone"),
        ({"phone": "1" * 31}, "phone"),
        ({"phone": "-010"}, "phone"),
        ({"address": "a" * 201}, "address"),
        ({"birth_date": "1996-13-01"}, "birth_date"),
        ({"birth_date": "12/04/1996"}, "birth_date"),
        ({"birth_date": "2999-01-01"}, "birth_date"),
        ({"birth_date": "1899-12-31"}, "birth_date"),
        ({"gender": "3"}, "gender"),
        ({"gender": 1}, "gender"),
        ({"gender": "male"}, "gender"),
        ({"military_service": "7"}, "military_service"),
        ({"military_service": ""}, "military_service"),
        ({"email": "mina@example.com"}, "email"),
        ({"name": "Mina", "user_id": "someone else's"}, "user_id"),
    ],
    ids=[
        "name too long",
        "line break",
        "bidi override",
        "name not a string",
        "phone letters",
        "phone too long",
        "phone starts badly",
        "address too long",
        "no such month",
        "not ISO",
        "born in the future",
        "born before 1900",
        "unknown gender",
        "gender not a string",
        "gender as a word",
        "unknown military service",
        "empty code",
        "unknown field",
        "another user's id",
    ],
)
def test_bad_input_is_a_422_that_changes_nothing(client, alice, dsn, body, field):
    put(client, alice, FULL)
    before = stored(dsn, alice)
    response = put(client, alice, body)
    assert response.status_code == 422, response.json
    assert response.content_type == "application/problem+json"
    assert f"/{field}" in [error["pointer"] for error in response.json["errors"]]
    assert stored(dsn, alice) == before


def test_bodies_that_are_not_a_json_object_are_refused(client, alice, dsn):
    for response, status in (
        (
            client.put(URL, data="name=Mina", content_type="application/x-www-form-urlencoded", headers=alice.headers),
            415,
        ),
        (client.put(URL, data=b'{"name": ', content_type="application/json", headers=alice.headers), 400),
        (client.put(URL, json=["name", "Mina"], headers=alice.headers), 422),
        (client.put(URL, json="Mina", headers=alice.headers), 422),
    ):
        assert response.status_code == status, response.get_data(as_text=True)
        assert response.content_type == "application/problem+json"
    assert stored(dsn, alice) is None


def test_each_user_reads_and_writes_only_their_own(client, alice, bob):
    put(client, alice, FULL)
    assert set(client.get(URL, headers=bob.headers).json.values()) == {None}
    put(client, bob, {"name": "Bob"})
    assert client.get(URL, headers=alice.headers).json["name"] == "김하늘"
    assert client.get(URL, headers=bob.headers).json["name"] == "Bob"


def test_it_needs_a_valid_token_and_a_closed_account_cannot_use_it(client, accounts):
    for headers in ({}, {"Authorization": "Bearer not-a-token"}):
        for response in (client.get(URL, headers=headers), client.put(URL, json=FULL, headers=headers)):
            assert response.status_code == 401 and response.content_type == "application/problem+json"
    carol = accounts.new()
    closed = client.delete("/api/users/me", json={"password": accounts.PASSWORD}, headers=carol.headers)
    assert closed.status_code == 204
    assert put(client, carol, FULL).status_code == 401


def test_the_profile_is_erased_with_the_account(client, accounts, dsn):
    carol = accounts.new()
    assert put(client, carol, FULL).status_code == 200
    assert (
        client.delete("/api/users/me", json={"password": accounts.PASSWORD}, headers=carol.headers).status_code == 204
    )
    assert stored(dsn, carol) is None
