"""The comments' store in memory: the same methods as gateway.community.comments_store.CommentStore."""

import dataclasses
import uuid

from gateway.community.comments_store import Author, CommentStore, CommentView, Locked


class FakeCommentStore:
    port = CommentStore

    def __init__(self, authors: dict[uuid.UUID, str], owners: dict[uuid.UUID, uuid.UUID]):
        self.authors = authors  # user id -> username
        self.owners = owners  # generation id -> its owner's id
        self.comments: dict[uuid.UUID, CommentView] = {}
        self.counts = dict.fromkeys(owners, 0)

    def add(self, comment_id, generation_id, author_id, body: str, now) -> None:
        author = Author(author_id, self.authors[author_id], ["user"])
        self.comments[comment_id] = CommentView(comment_id, generation_id, author, body, now, now)

    def add_to_count(self, generation_id, step: int) -> int:
        self.counts[generation_id] += step
        return self.counts[generation_id]

    def page(self, generation_id, limit: int, after, order: str) -> list[CommentView]:
        thread = sorted(
            (c for c in self.comments.values() if c.generation_id == generation_id),
            key=lambda c: (c.created_at, c.id),
            reverse=order == "newest",
        )
        if after is not None:
            thread = [c for c in thread if ((c.created_at, c.id) > after) == (order == "oldest")]
        return thread[:limit]

    def find(self, generation_id, comment_id) -> CommentView | None:
        comment = self.comments.get(comment_id)
        return comment if comment is not None and comment.generation_id == generation_id else None

    def comment(self, comment_id) -> CommentView:
        return self.comments[comment_id]

    def lock(self, generation_id, comment_id) -> Locked | None:
        comment = self.find(generation_id, comment_id)
        if comment is None:
            return None
        return Locked(comment.id, comment.generation_id, comment.author.id, self.owners[generation_id])

    def set_body(self, comment_id, body: str, now) -> None:
        self.comments[comment_id] = dataclasses.replace(self.comments[comment_id], body=body, updated_at=now)

    def delete(self, comment_id) -> None:
        del self.comments[comment_id]
