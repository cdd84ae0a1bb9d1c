"""Use cases of comments: write one on a completed public generation, read them, edit or delete your own.

The author edits and deletes a comment; the generation's owner may delete any
comment on it (their image, their thread). Anyone else gets a 404, as for
another user's resources everywhere. Deleting removes the comment for good
(no tombstone) and takes one from comment_count in the same transaction.
"""

import uuid
from datetime import UTC, datetime

from gateway.community.comments_store import CommentStore, CommentView
from gateway.community.rules import excerpt
from gateway.community.service import open_generation, style_facts, tell_owner, visible_generation
from gateway.community.store import CommunityStore
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import NotFound
from gateway.studio.generations import parse_generation_id


def parse_comment_id(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise NotFound(f"'{str(raw)[:64]}' is not a comment id (comment ids are UUIDs)") from None


def add_comment(uow: UnitOfWork, author_id: uuid.UUID, raw_generation_id: str, body: str) -> CommentView:
    """Record the comment and count it; the generation's owner is told (unless they wrote it)."""
    now, comment_id = datetime.now(UTC), uuid.uuid4()
    with uow:
        community, thread = uow.store(CommunityStore), uow.store(CommentStore)
        generation = open_generation(community, raw_generation_id, author_id)
        thread.add(comment_id, generation.id, author_id, body, now)
        count = thread.add_to_count(generation.id, 1)
        facts = {
            "generation_id": str(generation.id),
            "comment_id": str(comment_id),
            **style_facts(generation),
            "excerpt": excerpt(body),
            "comment_count": count,
        }
        tell_owner(community, generation.user_id, author_id, "generation.commented", facts, str(generation.id))
        uow.commit()
        return thread.comment(comment_id)


def list_comments(
    uow: UnitOfWork,
    raw_generation_id: str,
    viewer_id: uuid.UUID | None,
    limit: int,
    after: tuple[datetime, uuid.UUID] | None,
    order: str,
) -> list[CommentView]:
    """A page of the comments on a generation the viewer may see, oldest or newest first, after a cursor."""
    with uow:
        generation = visible_generation(uow.store(CommunityStore), raw_generation_id, viewer_id)
        return uow.store(CommentStore).page(generation.id, limit, after, order)


def get_comment(
    uow: UnitOfWork, raw_generation_id: str, raw_comment_id: str, viewer_id: uuid.UUID | None
) -> CommentView:
    """One comment on a generation the viewer may see."""
    comment_id = parse_comment_id(raw_comment_id)
    with uow:
        generation = visible_generation(uow.store(CommunityStore), raw_generation_id, viewer_id)
        comment = uow.store(CommentStore).find(generation.id, comment_id)
        if comment is None:
            raise NotFound(f"no comment with id {comment_id} on this generation")
        return comment


def edit_comment(
    uow: UnitOfWork, author_id: uuid.UUID, raw_generation_id: str, raw_comment_id: str, body: str
) -> CommentView:
    """Change the text of your own comment."""
    with uow:
        thread = uow.store(CommentStore)
        comment = _locked(thread, raw_generation_id, raw_comment_id)
        if comment is None or comment.author_id != author_id:
            raise NotFound(f"no comment with id {raw_comment_id} among yours on this generation")
        thread.set_body(comment.id, body, datetime.now(UTC))
        uow.commit()
        return thread.comment(comment.id)


def delete_comment(uow: UnitOfWork, user_id: uuid.UUID, raw_generation_id: str, raw_comment_id: str) -> None:
    """Delete a comment you wrote, or one on your generation."""
    with uow:
        thread = uow.store(CommentStore)
        comment = _locked(thread, raw_generation_id, raw_comment_id)
        if comment is None or user_id not in (comment.author_id, comment.owner_id):
            raise NotFound(f"no comment with id {raw_comment_id} that you may delete on this generation")
        thread.delete(comment.id)
        thread.add_to_count(comment.generation_id, -1)
        uow.commit()


def _locked(thread: CommentStore, raw_generation_id: str, raw_comment_id: str):
    """The comment (locked: a concurrent edit or delete waits) with its generation's owner, or None."""
    return thread.lock(parse_generation_id(raw_generation_id), parse_comment_id(raw_comment_id))
