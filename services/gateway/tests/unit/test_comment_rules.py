"""Comments through a fake unit of work: who may edit and delete, the count, the owner told, the thread's order."""

import uuid

import pytest
from fake_comments import FakeCommentStore
from fake_community import FakeCommunityStore
from fake_uow import FakeUnitOfWork

from gateway.community import comments
from gateway.community.store import Reacted
from gateway.platform.errors import Conflict, NotFound

OWNER, AUTHOR, OTHER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
USERS = {OWNER: "owner", AUTHOR: "author", OTHER: "other"}
SHOWN = Reacted(uuid.uuid4(), OWNER, "completed", True, uuid.uuid4(), "Ink", "public", OWNER)
PRIVATE = Reacted(uuid.uuid4(), OWNER, "completed", False, uuid.uuid4(), "Ink", "public", OWNER)


@pytest.fixture
def stores():
    owners = {SHOWN.id: OWNER, PRIVATE.id: OWNER}
    return FakeCommunityStore([SHOWN, PRIVATE], USERS), FakeCommentStore(USERS, owners)


@pytest.fixture
def uow(stores):
    return FakeUnitOfWork(*stores)


def comment(uow, author=AUTHOR, body="Lovely"):
    return comments.add_comment(uow, author, str(SHOWN.id), body)


def test_a_comment_is_counted_and_its_generations_owner_told(uow, stores):
    community, thread = stores
    made = comment(uow)
    assert (made.author.username, made.body, thread.counts[SHOWN.id]) == ("author", "Lovely", 1)
    [(owner, kind, facts, _)] = community.published
    assert (owner, kind, facts["comment_count"], facts["excerpt"]) == (OWNER, "generation.commented", 1, "Lovely")


def test_the_owner_is_not_told_of_their_own_comment(uow, stores):
    comment(uow, author=OWNER)
    assert stores[0].published == []


def test_only_completed_public_generations_take_comments(uow, stores):
    with pytest.raises(NotFound):
        comments.add_comment(uow, AUTHOR, str(PRIVATE.id), "Hidden")
    with pytest.raises(Conflict):
        comments.add_comment(uow, OWNER, str(PRIVATE.id), "Mine")
    assert stores[1].comments == {}


def test_only_the_author_edits_a_comment(uow):
    made = comment(uow)
    for stranger in (OWNER, OTHER):
        with pytest.raises(NotFound):
            comments.edit_comment(uow, stranger, str(SHOWN.id), str(made.id), "Changed")
    edited = comments.edit_comment(uow, AUTHOR, str(SHOWN.id), str(made.id), "Changed")
    assert edited.body == "Changed" and edited.updated_at >= edited.created_at


def test_the_author_or_the_generations_owner_deletes_a_comment_and_nobody_else(uow, stores):
    first, second = comment(uow), comment(uow)
    with pytest.raises(NotFound):
        comments.delete_comment(uow, OTHER, str(SHOWN.id), str(first.id))
    assert stores[1].counts[SHOWN.id] == 2
    comments.delete_comment(uow, AUTHOR, str(SHOWN.id), str(first.id))
    comments.delete_comment(uow, OWNER, str(SHOWN.id), str(second.id))
    assert stores[1].comments == {} and stores[1].counts[SHOWN.id] == 0


def test_a_comment_is_only_found_on_its_own_generation(uow):
    made = comment(uow)
    for raw_generation, raw_comment in ((str(uuid.uuid4()), str(made.id)), (str(SHOWN.id), "not-a-uuid")):
        with pytest.raises(NotFound):
            comments.get_comment(uow, raw_generation, raw_comment, AUTHOR)
    with pytest.raises(NotFound):
        comments.delete_comment(uow, AUTHOR, str(uuid.uuid4()), str(made.id))


def test_the_thread_reads_oldest_or_newest_first_after_a_cursor(uow):
    made = sorted((comment(uow, body=f"c{i}") for i in range(3)), key=lambda c: (c.created_at, c.id))
    oldest = comments.list_comments(uow, str(SHOWN.id), None, 2, None, "oldest")
    assert [c.id for c in oldest] == [c.id for c in made[:2]]
    after = (oldest[-1].created_at, oldest[-1].id)
    assert [c.id for c in comments.list_comments(uow, str(SHOWN.id), None, 5, after, "oldest")] == [made[2].id]
    newest = comments.list_comments(uow, str(SHOWN.id), None, 5, None, "newest")
    assert [c.id for c in newest] == [c.id for c in reversed(made)]
