"""The style studio: styles artists train, and the images users generate in them."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Computed, ForeignKey, Index, String, Text, text
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gateway.accounts.models import User
from gateway.platform.models import Base
from gateway.studio.rules import PREVIEW_IMAGES

STUDIO_STATUSES = ("queued", "processing", "completed", "failed")  # trained = completed
VISIBILITIES = ("public", "private")
ASPECT_RATIOS = ("1:1", "2:2", "1:2")
LISTED = "status = 'completed' AND visibility = 'public' AND deleted_at IS NULL"
IN_FEED = "status = 'completed' AND is_public"
# the search columns (migration 0007): 'simple' because Postgres has no Korean dictionary; studio_tags_text() is an
# IMMUTABLE array_to_string, which a generated column needs
SEARCH_VECTOR = (
    "setweight(to_tsvector('simple'::regconfig, name), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, studio_tags_text(tags)), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, description), 'C')"
)
SEARCH_TEXT = "lower(name || ' ' || studio_tags_text(tags) || ' ' || description)"


class Style(Base):
    """An artist's style: the training images, then the model learned from them; deleted styles are kept, hidden."""

    __tablename__ = "styles"
    __table_args__ = (
        CheckConstraint(f"status IN {STUDIO_STATUSES}", name="status"),
        CheckConstraint(f"visibility IN {VISIBILITIES}", name="visibility"),
        CheckConstraint("price_per_generation >= 0", name="price"),
        Index("ix_styles_artist_created", "artist_id", "created_at", "id"),
        Index("ix_styles_listed_new", text("created_at DESC"), text("id DESC"), postgresql_where=text(LISTED)),
        Index(
            "ix_styles_listed_popular",
            text("generation_count DESC"),
            text("created_at DESC"),
            text("id DESC"),
            postgresql_where=text(LISTED),
        ),
        Index("ix_styles_tags", "tags", postgresql_using="gin"),
        Index("ix_styles_artist_listed", "artist_id", postgresql_where=text(LISTED)),
        Index("ix_styles_search_vector", "search_vector", postgresql_using="gin", postgresql_where=text(LISTED)),
        Index(
            "ix_styles_search_trgm",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
            postgresql_where=text(LISTED),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    artist_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(50)), server_default="{}")
    price_per_generation: Mapped[int]
    visibility: Mapped[str] = mapped_column(String(16), default="public")
    status: Mapped[str] = mapped_column(String(16))
    progress_percent: Mapped[int] = mapped_column(default=0)
    current_epoch: Mapped[int] = mapped_column(default=0)
    total_epochs: Mapped[int]
    estimated_seconds: Mapped[int | None]
    image_keys: Mapped[list[str]] = mapped_column(ARRAY(String(512)))
    model_key: Mapped[str | None] = mapped_column(String(512))
    training_metric: Mapped[dict[str, Any] | None]
    error: Mapped[str | None] = mapped_column(Text)
    error_code: Mapped[str | None] = mapped_column(String(64))
    generation_count: Mapped[int] = mapped_column(default=0)  # completed generations, for sort=popular
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    search_vector: Mapped[str] = mapped_column(TSVECTOR, Computed(SEARCH_VECTOR, persisted=True), deferred=True)
    search_text: Mapped[str] = mapped_column(Text, Computed(SEARCH_TEXT, persisted=True), deferred=True)
    name_lower: Mapped[str] = mapped_column(Text, Computed("lower(name)", persisted=True), deferred=True)  # search

    artist: Mapped[User] = relationship(lazy="raise", viewonly=True)
    search_score = None  # a search's rank of this style, set by the search (not stored)

    @property
    def image_count(self) -> int:
        return len(self.image_keys)

    @property
    def preview_keys(self) -> list[str]:
        return self.image_keys[:PREVIEW_IMAGES]


class Generation(Base):
    """One image a user paid tokens for, rendered in a style and signed invisibly with `signature_id`."""

    __tablename__ = "generations"
    __table_args__ = (
        CheckConstraint(f"status IN {STUDIO_STATUSES}", name="status"),
        CheckConstraint(f"aspect_ratio IN {ASPECT_RATIOS}", name="aspect_ratio"),
        CheckConstraint("cost > 0", name="cost"),
        CheckConstraint("like_count >= 0 AND comment_count >= 0", name="counters"),
        Index("ix_generations_user_created", "user_id", text("created_at DESC"), text("id DESC")),
        Index("ix_generations_feed", text("completed_at DESC"), text("id DESC"), postgresql_where=text(IN_FEED)),
        Index(
            "ix_generations_style_feed",
            "style_id",
            text("completed_at DESC"),
            text("id DESC"),
            postgresql_where=text(IN_FEED),
        ),
        Index(
            "ix_generations_user_feed",
            "user_id",
            text("completed_at DESC"),
            text("id DESC"),
            postgresql_where=text(IN_FEED),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    style_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("styles.id", ondelete="CASCADE"), index=True)
    artist_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    prompt_tags: Mapped[list[str]] = mapped_column(ARRAY(String(50)))
    aspect_ratio: Mapped[str] = mapped_column(String(8))
    seed: Mapped[int] = mapped_column(BigInteger)
    cost: Mapped[int]  # tokens spent: the aspect ratio's cost plus the style's price
    style_price: Mapped[int]  # the style's price when it was paid for: the artist's share is taken from it
    status: Mapped[str] = mapped_column(String(16))
    progress_percent: Mapped[int] = mapped_column(default=0)
    current_step: Mapped[int] = mapped_column(default=0)
    total_steps: Mapped[int | None]
    estimated_seconds: Mapped[int | None]
    result_key: Mapped[str | None] = mapped_column(String(512))
    signature_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    result_metadata: Mapped[dict[str, Any] | None] = mapped_column("metadata")
    error: Mapped[str | None] = mapped_column(Text)
    error_code: Mapped[str | None] = mapped_column(String(64))
    is_public: Mapped[bool] = mapped_column(default=True)
    like_count: Mapped[int] = mapped_column(default=0, server_default="0")  # kept with the generation_likes rows
    comment_count: Mapped[int] = mapped_column(default=0, server_default="0")  # and the generation_comments rows
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]

    style: Mapped[Style] = relationship(lazy="raise", viewonly=True)
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="raise", viewonly=True)
    artist: Mapped[User] = relationship(foreign_keys=[artist_id], lazy="raise", viewonly=True)
    liked_by_me = None  # whether the viewer liked it, set per request by the service layer (not stored)
    image_url = None  # set by the service layer once completed (gateway.studio.media.image_url), not stored
