"""Pure rules: the career profile body (codes, dates, tidying) and who an ID token may have been issued to."""

from datetime import UTC, date, datetime, timedelta

import marshmallow as ma
import pytest

from gateway.accounts.google_tokens import _check_party, issuers
from gateway.careers.profiles_schemas import CareerProfileBody
from gateway.platform.errors import Unauthenticated


def load(body: dict) -> dict:
    return CareerProfileBody().load(body)


def test_only_the_fields_given_are_loaded_and_blank_text_clears():
    assert load({}) == {}
    assert load({"name": "  Mina  ", "phone": " ", "gender": None}) == {"name": "Mina", "phone": None, "gender": None}


@pytest.mark.parametrize("born", [date(1900, 1, 1), datetime.now(UTC).date()])
def test_a_birth_date_from_1900_to_today_is_taken(born):
    assert load({"birth_date": born.isoformat()}) == {"birth_date": born}


@pytest.mark.parametrize("born", [date(1899, 12, 31), datetime.now(UTC).date() + timedelta(days=2)])
def test_a_birth_date_outside_is_refused(born):
    with pytest.raises(ma.ValidationError, match="birth_date"):
        load({"birth_date": born.isoformat()})


@pytest.mark.parametrize(("field", "known"), [("gender", ["1", "2"]), ("military_service", list("123456"))])
def test_codes_are_the_code_tables(field, known):
    for code in known:
        assert load({field: code}) == {field: code}
    for code in ("0", "7", "남성", "", " 1"):
        with pytest.raises(ma.ValidationError):
            load({field: code})


def test_issuers_take_both_forms_google_uses():
    assert issuers("https://accounts.google.com/") == ["https://accounts.google.com", "accounts.google.com"]


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "web"},
        {"aud": ["web"]},
        {"aud": "web", "azp": "web"},
        {"aud": "web", "azp": "android"},
        {"aud": ["web", "android"], "azp": "android"},
    ],
)
def test_our_clients_tokens_pass(claims):
    _check_party(claims, ["web", "android"])


@pytest.mark.parametrize(
    "claims",
    [{"aud": ["web", "other"]}, {"aud": "web", "azp": "other"}, {"aud": ["web", "other"], "azp": "other"}],
)
def test_a_token_for_another_party_is_refused(claims):
    with pytest.raises(Unauthenticated, match="azp"):
        _check_party(claims, ["web", "android"])
