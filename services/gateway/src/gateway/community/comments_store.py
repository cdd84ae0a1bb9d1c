"""The comments' SQL: a generation's thread, one comment, the locked comment an edit or delete works on."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, tuple_, update
from sqlalchemy.orm import joinedload

from gateway.community.models import Comment
from gateway.studio.models import Generation

WITH_AUTHOR = joinedload(Comment.author, innerjoin=True)
ORDERS = {
    "oldest": (Comment.created_at.asc(), Comment.id.asc()),
    "newest": (Comment.created_at.desc(), Comment.id.desc()),
}


@dataclass(frozen=True)
class Author:
    id: uuid.UUID
    username: str
    roles: list[str]


@dataclass(frozen=True)
class CommentView:
    """A comment as it is shown, with its author."""

    id: uuid.UUID
    generation_id: uuid.UUID
    author: Author
    body: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Locked:
    """A comment held for an edit or a delete, and who owns the generation it is on."""

    id: uuid.UUID
    generation_id: uuid.UUID
    author_id: uuid.UUID
    owner_id: uuid.UUID


def _view(row: Comment) -> CommentView:
    author = Author(row.author.id, row.author.username, list(row.author.roles))
    return CommentView(row.id, row.generation_id, author, row.body, row.created_at, row.updated_at)


class CommentStore:
    """Plain methods over generation_comments and generations.comment_count, inside the caller's transaction."""

    def __init__(self, session):
        self._session = session

    def add(self, comment_id: uuid.UUID, generation_id: uuid.UUID, author_id: uuid.UUID, body: str, now) -> None:
        comment = Comment(
            id=comment_id, generation_id=generation_id, author_id=author_id, body=body, created_at=now, updated_at=now
        )
        self._session.add(comment)
        self._session.flush()

    def add_to_count(self, generation_id: uuid.UUID, step: int) -> int:
        """Move the generation's comment_count by `step`; the new count."""
        return self._session.execute(
            update(Generation)
            .where(Generation.id == generation_id)
            .values(comment_count=Generation.comment_count + step)
            .returning(Generation.comment_count)
            .execution_options(synchronize_session=False)
        ).scalar_one()

    def page(
        self, generation_id: uuid.UUID, limit: int, after: tuple[datetime, uuid.UUID] | None, order: str
    ) -> list[CommentView]:
        """Up to `limit` comments on a generation in `order` ('oldest' or 'newest'), past the `after` position."""
        query = select(Comment).options(WITH_AUTHOR).where(Comment.generation_id == generation_id)
        if after is not None:
            position = tuple_(Comment.created_at, Comment.id)
            query = query.where(position > after if order == "oldest" else position < after)
        return [_view(row) for row in self._session.scalars(query.order_by(*ORDERS[order]).limit(limit))]

    def find(self, generation_id: uuid.UUID, comment_id: uuid.UUID) -> CommentView | None:
        row = self._session.scalars(
            select(Comment).options(WITH_AUTHOR).where(Comment.id == comment_id, Comment.generation_id == generation_id)
        ).first()
        return None if row is None else _view(row)

    def comment(self, comment_id: uuid.UUID) -> CommentView:
        return _view(self._session.scalars(select(Comment).options(WITH_AUTHOR).where(Comment.id == comment_id)).one())

    def lock(self, generation_id: uuid.UUID, comment_id: uuid.UUID) -> Locked | None:
        """The comment, locked (a concurrent edit or delete waits), and its generation's owner."""
        row = self._session.execute(
            select(Comment, Generation.user_id)
            .join(Generation, Generation.id == Comment.generation_id)
            .where(Comment.id == comment_id, Comment.generation_id == generation_id)
            .with_for_update(of=Comment)
        ).first()
        if row is None:
            return None
        comment, owner_id = row
        return Locked(comment.id, comment.generation_id, comment.author_id, owner_id)

    def set_body(self, comment_id: uuid.UUID, body: str, now: datetime) -> None:
        """Change a locked comment's text (written when the transaction flushes)."""
        comment = self._session.get(Comment, comment_id)  # loaded by lock(): no statement
        comment.body, comment.updated_at = body, now

    def delete(self, comment_id: uuid.UUID) -> None:
        """Delete a locked comment."""
        self._session.delete(self._session.get(Comment, comment_id))
        self._session.flush()
