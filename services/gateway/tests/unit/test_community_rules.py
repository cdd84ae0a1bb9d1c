"""The community's pure rules: what takes reactions, who is told, comment text, search terms."""

import unicodedata
import uuid

import pytest

from gateway.community.rules import (
    MAX_COMMENT_LENGTH,
    comment_problem,
    contains_pattern,
    excerpt,
    normalise_query,
    open_to_reactions,
    prefix_pattern,
    prefix_tsquery,
    query_terms,
    substring_indexed,
    tells_owner,
    tidy_comment,
)
from gateway.notifications.rules import render


@pytest.mark.parametrize(
    ("status", "public", "open_"),
    [("completed", True, True), ("completed", False, False), ("processing", True, False), ("failed", True, False)],
)
def test_only_completed_public_generations_take_reactions(status, public, open_):
    assert open_to_reactions(status, public) is open_


def test_owners_are_not_told_of_their_own_actions():
    me, you = uuid.uuid4(), uuid.uuid4()
    assert tells_owner(you, me) and not tells_owner(me, me)


def test_comments_are_trimmed_and_bounded():
    assert tidy_comment("  첫 줄\n둘째 줄 \n") == "첫 줄\n둘째 줄"
    assert comment_problem(tidy_comment(" \n\t ")) == "Must not be empty or only whitespace."
    assert comment_problem("가" * MAX_COMMENT_LENGTH) is None
    assert "At most 1000" in comment_problem("가" * (MAX_COMMENT_LENGTH + 1))
    assert comment_problem("a\x00b") and comment_problem("a\x1bb") and comment_problem("tab\tand\nline") is None


def test_an_excerpt_is_one_short_line():
    assert excerpt("hello\n  world") == "hello world"
    long = excerpt("word " * 100)
    assert len(long) == 140 and long.endswith("…")


def test_queries_are_normalised_and_split_into_words_of_any_script():
    decomposed = unicodedata.normalize("NFD", "수채화")
    assert normalise_query(f"  {decomposed}   Watercolor ") == "수채화 watercolor"
    assert query_terms("수채화, watercolor! o'neil") == ["수채화", "watercolor", "o", "neil"]
    assert len(query_terms(" ".join(f"w{n}" for n in range(20)))) == 8


def test_the_tsquery_matches_every_word_as_a_prefix_and_quotes_nothing_through():
    assert prefix_tsquery(["수채", "harbour"]) == "'수채':* & 'harbour':*"
    assert prefix_tsquery(query_terms("!!! & | :*")) is None


def test_like_patterns_take_the_query_literally():
    assert contains_pattern("50%_off\\") == "%50\\%\\_off\\\\%"
    assert prefix_pattern("ab_") == "ab\\_%"


def test_substrings_need_three_characters_for_the_trigram_index():
    assert substring_indexed("수채화") and not substring_indexed("수채") and not substring_indexed("ab")


def test_community_events_read_well():
    assert render("generation.liked", {"actor_username": "mina", "style_name": "Dusk"}) == (
        "Someone liked your image",
        "mina liked your image in the style 'Dusk'.",
    )
    assert render("generation.commented", {"actor_username": "mina", "excerpt": "좋아요"})[1] == "mina: 좋아요"
    assert render("user.followed", {"actor_username": "mina"})[1] == "mina started following you."
