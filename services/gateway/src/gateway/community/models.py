"""The studio's community: likes and comments on generations, follows between users, notices told once."""

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gateway.accounts.models import User
from gateway.community.rules import MAX_COMMENT_LENGTH
from gateway.platform.models import Base


class GenerationLike(Base):
    """One user's like of one generation; unliking deletes it (generations.like_count counts these rows)."""

    __tablename__ = "generation_likes"
    __table_args__ = (Index("ix_generation_likes_user", "user_id", text("created_at DESC")),)

    generation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("generations.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime]


class Comment(Base):
    """A comment on a generation; deleting one removes it (generations.comment_count counts these rows)."""

    __tablename__ = "generation_comments"
    __table_args__ = (
        CheckConstraint(f"char_length(body) BETWEEN 1 AND {MAX_COMMENT_LENGTH}", name="body"),
        Index("ix_generation_comments_thread", "generation_id", "created_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    generation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("generations.id", ondelete="CASCADE"))
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    author: Mapped[User] = relationship(lazy="raise", viewonly=True)


class Follow(Base):
    """`follower_id` follows `followee_id`; users.follower_count and following_count count these rows."""

    __tablename__ = "follows"
    __table_args__ = (
        CheckConstraint("follower_id <> followee_id", name="not_self"),
        Index("ix_follows_followee_created", "followee_id", text("created_at DESC"), text("follower_id DESC")),
        Index("ix_follows_follower_created", "follower_id", text("created_at DESC"), text("followee_id DESC")),
    )

    follower_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    followee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime]


class CommunityNotice(Base):
    """That `actor_id`'s like of (or follow of) `subject_id` was told to its owner: like, unlike, like tells once."""

    __tablename__ = "community_notices"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # 'like' or 'follow'
    subject_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    actor_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime]
