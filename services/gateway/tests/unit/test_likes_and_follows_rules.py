"""Likes and follows through a fake unit of work: idempotent, counted, the owner told once, never of their own."""

import uuid

import pytest
from fake_community import FakeCommunityStore
from fake_uow import FakeUnitOfWork

from gateway.community import follows, likes
from gateway.community.store import Reacted
from gateway.platform.errors import Conflict, InvalidInput, NotFound

OWNER, FAN, OTHER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
STYLE = uuid.uuid4()


def generation(status="completed", public=True, visibility="public") -> Reacted:
    return Reacted(uuid.uuid4(), OWNER, status, public, STYLE, "Ink", visibility, OTHER)


SHOWN, PRIVATE, UNFINISHED, HIDDEN_STYLE = (
    generation(),
    generation(public=False),
    generation(status="processing"),
    generation(visibility="private"),
)


@pytest.fixture
def store():
    generations = [SHOWN, PRIVATE, UNFINISHED, HIDDEN_STYLE]
    return FakeCommunityStore(generations, {OWNER: "owner", FAN: "fan", OTHER: "other"})


@pytest.fixture
def uow(store):
    return FakeUnitOfWork(store)


def test_liking_twice_counts_once_and_tells_the_owner_once(uow, store):
    states = [likes.like(uow, FAN, str(SHOWN.id)) for _ in range(2)]
    assert [(s.liked, s.like_count) for s in states] == [(True, 1), (True, 1)]
    assert [(owner, kind) for owner, kind, *_ in store.published] == [(OWNER, "generation.liked")]
    facts = store.published[0][2]
    assert (facts["actor_username"], facts["like_count"], facts["style_name"]) == ("fan", 1, "Ink")


def test_unliking_twice_takes_one_away_once(uow):
    likes.like(uow, FAN, str(SHOWN.id))
    likes.like(uow, OTHER, str(SHOWN.id))
    states = [likes.unlike(uow, FAN, str(SHOWN.id)) for _ in range(2)]
    assert [(s.liked, s.like_count) for s in states] == [(False, 1), (False, 1)]


def test_a_like_again_after_an_unlike_is_not_told_again(uow, store):
    likes.like(uow, FAN, str(SHOWN.id))
    likes.unlike(uow, FAN, str(SHOWN.id))
    assert likes.like(uow, FAN, str(SHOWN.id)).like_count == 1
    assert len(store.published) == 1


def test_the_owner_is_never_told_of_their_own_like(uow, store):
    assert likes.like(uow, OWNER, str(SHOWN.id)).like_count == 1
    assert store.published == []


def test_a_private_style_is_not_named_to_the_maker(uow, store):
    likes.like(uow, FAN, str(HIDDEN_STYLE.id))
    assert "style_name" not in store.published[0][2]


def test_hidden_generations_are_not_found_and_unknown_ids_neither(uow):
    for raw in (str(PRIVATE.id), str(UNFINISHED.id), str(uuid.uuid4()), "not-a-uuid"):
        with pytest.raises(NotFound):
            likes.like(uow, FAN, raw)


def test_the_owner_gets_a_conflict_for_their_unfinished_or_private_generation(uow, store):
    for shown in (PRIVATE, UNFINISHED):
        with pytest.raises(Conflict):
            likes.like(uow, OWNER, str(shown.id))
    assert store.likes == set()


def test_following_twice_counts_once_and_tells_once(uow, store):
    states = [follows.follow(uow, FAN, str(OWNER)) for _ in range(2)]
    assert [(s.following, s.follower_count) for s in states] == [(True, 1), (True, 1)]
    assert (store.followers[OWNER], store.following[FAN]) == (1, 1)
    assert [(owner, kind) for owner, kind, *_ in store.published] == [(OWNER, "user.followed")]


def test_unfollowing_twice_and_following_again_tells_nothing_more(uow, store):
    follows.follow(uow, FAN, str(OWNER))
    states = [follows.unfollow(uow, FAN, str(OWNER)) for _ in range(2)]
    assert [(s.following, s.follower_count) for s in states] == [(False, 0), (False, 0)]
    assert store.following[FAN] == 0
    assert follows.follow(uow, FAN, str(OWNER)).follower_count == 1
    assert len(store.published) == 1


def test_nobody_follows_themselves(uow, store):
    with pytest.raises(InvalidInput):
        follows.follow(uow, FAN, str(FAN))
    assert store.follows == set() and store.followers[FAN] == 0


@pytest.mark.parametrize("raw", ["not-a-uuid", str(uuid.uuid4())])
def test_following_an_unknown_user_is_not_found(uow, store, raw):
    with pytest.raises(NotFound):
        follows.follow(uow, FAN, raw)
    assert store.follows == set()
