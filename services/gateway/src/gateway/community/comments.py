"""Use cases of comments: write one on a completed public generation, read them, edit or delete your own.

The author edits and deletes a comment; the generation's owner may delete any
comment on it (their image, their thread). Anyone else gets a 404, as for
another user's resources everywhere. Deleting removes the comment for good
(no tombstone) and takes one from comment_count in the same transaction.
"""

import uuid
from datetime import UTC, datetime

from sqlalchemy import select, tuple_, update
from sqlalchemy.orm import joinedload

from gateway.community.models import Comment
from gateway.community.rules import excerpt
from gateway.community.service import open_generation, style_facts, tell_owner, visible_generation
from gateway.community.store import CommunityStore
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import NotFound
from gateway.studio.generations import parse_generation_id
from gateway.studio.models import Generation

WITH_AUTHOR = joinedload(Comment.author, innerjoin=True)
ORDERS = {
    "oldest": (Comment.created_at.asc(), Comment.id.asc()),
    "newest": (Comment.created_at.desc(), Comment.id.desc()),
}


def parse_comment_id(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise NotFound(f"'{str(raw)[:64]}' is not a comment id (comment ids are UUIDs)") from None


def add_comment(uow: UnitOfWork, author_id: uuid.UUID, raw_generation_id: str, body: str) -> Comment:
    """Record the comment and count it; the generation's owner is told (unless they wrote it)."""
    now, comment_id = datetime.now(UTC), uuid.uuid4()
    with uow as session:
        generation = open_generation(uow.store(CommunityStore), raw_generation_id, author_id)
        session.add(
            Comment(
                id=comment_id,
                generation_id=generation.id,
                author_id=author_id,
                body=body,
                created_at=now,
                updated_at=now,
            )
        )
        session.flush()
        count = _add(session, generation.id, 1)
        facts = {
            "generation_id": str(generation.id),
            "comment_id": str(comment_id),
            **style_facts(generation),
            "excerpt": excerpt(body),
            "comment_count": count,
        }
        tell_owner(
            uow.store(CommunityStore), generation.user_id, author_id, "generation.commented", facts, str(generation.id)
        )
        uow.commit()
        return _loaded(session, comment_id)


def list_comments(
    uow: UnitOfWork,
    raw_generation_id: str,
    viewer_id: uuid.UUID | None,
    limit: int,
    after: tuple[datetime, uuid.UUID] | None,
    order: str,
) -> list[Comment]:
    """A page of the comments on a generation the viewer may see, oldest or newest first, after a cursor."""
    with uow as session:
        generation = visible_generation(uow.store(CommunityStore), raw_generation_id, viewer_id)
        query = select(Comment).options(WITH_AUTHOR).where(Comment.generation_id == generation.id)
        if after is not None:
            position = tuple_(Comment.created_at, Comment.id)
            query = query.where(position > after if order == "oldest" else position < after)
        return list(session.scalars(query.order_by(*ORDERS[order]).limit(limit)))


def get_comment(uow: UnitOfWork, raw_generation_id: str, raw_comment_id: str, viewer_id: uuid.UUID | None) -> Comment:
    """One comment on a generation the viewer may see."""
    comment_id = parse_comment_id(raw_comment_id)
    with uow as session:
        generation = visible_generation(uow.store(CommunityStore), raw_generation_id, viewer_id)
        comment = session.scalars(
            select(Comment).options(WITH_AUTHOR).where(Comment.id == comment_id, Comment.generation_id == generation.id)
        ).first()
        if comment is None:
            raise NotFound(f"no comment with id {comment_id} on this generation")
        return comment


def edit_comment(
    uow: UnitOfWork, author_id: uuid.UUID, raw_generation_id: str, raw_comment_id: str, body: str
) -> Comment:
    """Change the text of your own comment."""
    with uow as session:
        comment, _ = _locked(session, raw_generation_id, raw_comment_id)
        if comment is None or comment.author_id != author_id:
            raise NotFound(f"no comment with id {raw_comment_id} among yours on this generation")
        comment.body, comment.updated_at = body, datetime.now(UTC)
        uow.commit()
        return _loaded(session, comment.id)


def delete_comment(uow: UnitOfWork, user_id: uuid.UUID, raw_generation_id: str, raw_comment_id: str) -> None:
    """Delete a comment you wrote, or one on your generation."""
    with uow as session:
        comment, owner_id = _locked(session, raw_generation_id, raw_comment_id)
        if comment is None or user_id not in (comment.author_id, owner_id):
            raise NotFound(f"no comment with id {raw_comment_id} that you may delete on this generation")
        session.delete(comment)
        session.flush()
        _add(session, comment.generation_id, -1)
        uow.commit()


def _locked(session, raw_generation_id: str, raw_comment_id: str) -> tuple[Comment | None, uuid.UUID | None]:
    """The comment (locked: a concurrent edit or delete waits) and its generation's owner."""
    generation_id, comment_id = parse_generation_id(raw_generation_id), parse_comment_id(raw_comment_id)
    row = session.execute(
        select(Comment, Generation.user_id)
        .join(Generation, Generation.id == Comment.generation_id)
        .where(Comment.id == comment_id, Comment.generation_id == generation_id)
        .with_for_update(of=Comment)
    ).first()
    return (row[0], row[1]) if row else (None, None)


def _loaded(session, comment_id: uuid.UUID) -> Comment:
    return session.scalars(select(Comment).options(WITH_AUTHOR).where(Comment.id == comment_id)).one()


def _add(session, generation_id: uuid.UUID, step: int) -> int:
    return session.execute(
        update(Generation)
        .where(Generation.id == generation_id)
        .values(comment_count=Generation.comment_count + step)
        .returning(Generation.comment_count)
        .execution_options(synchronize_session=False)
    ).scalar_one()
