"""community: likes, comments, follows with their counters, notices told once, style and artist search

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

LISTED = "status = 'completed' AND visibility = 'public' AND deleted_at IS NULL"
IN_FEED = "status = 'completed' AND is_public"
ARTISTS = "'artist' = ANY (roles)"
# array_to_string is only STABLE (for arrays of any type); for varchar[] it is immutable, as a generated column needs
TAGS_TEXT = """
CREATE FUNCTION studio_tags_text(tags varchar[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT array_to_string(tags, ' ') $$
"""
# 'simple': Postgres has no Korean dictionary; words are kept as written (lower-cased), matched by prefix
SEARCH_VECTOR = (
    "setweight(to_tsvector('simple'::regconfig, name), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, studio_tags_text(tags)), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, description), 'C')"
)
SEARCH_TEXT = "lower(name || ' ' || studio_tags_text(tags) || ' ' || description)"


def _counter(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer(), server_default="0", nullable=False)


def upgrade() -> None:
    op.add_column("generations", _counter("like_count"))
    op.add_column("generations", _counter("comment_count"))
    op.create_check_constraint(op.f("ck_generations_counters"), "generations", "like_count >= 0 AND comment_count >= 0")
    op.add_column("users", _counter("follower_count"))
    op.add_column("users", _counter("following_count"))
    op.create_check_constraint(op.f("ck_users_counters"), "users", "follower_count >= 0 AND following_count >= 0")
    op.create_table(
        "generation_likes",
        sa.Column("generation_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["generation_id"], ["generations.id"], name=op.f("fk_generation_likes_generation_id_generations"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_generation_likes_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("generation_id", "user_id", name=op.f("pk_generation_likes")),
    )
    op.create_index("ix_generation_likes_user", "generation_likes", ["user_id", sa.literal_column("created_at DESC")])
    op.create_table(
        "generation_comments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("generation_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("char_length(body) BETWEEN 1 AND 1000", name=op.f("ck_generation_comments_body")),
        sa.ForeignKeyConstraint(
            ["generation_id"],
            ["generations.id"],
            name=op.f("fk_generation_comments_generation_id_generations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_generation_comments_author_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_generation_comments")),
    )
    op.create_index("ix_generation_comments_thread", "generation_comments", ["generation_id", "created_at", "id"])
    op.create_index("ix_generation_comments_author_id", "generation_comments", ["author_id"])
    op.create_table(
        "follows",
        sa.Column("follower_id", sa.Uuid(), nullable=False),
        sa.Column("followee_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("follower_id <> followee_id", name=op.f("ck_follows_not_self")),
        sa.ForeignKeyConstraint(["follower_id"], ["users.id"], name=op.f("fk_follows_follower_id_users"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["followee_id"], ["users.id"], name=op.f("fk_follows_followee_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("follower_id", "followee_id", name=op.f("pk_follows")),
    )
    for who, other in (("followee", "follower"), ("follower", "followee")):
        columns = [f"{who}_id", sa.literal_column("created_at DESC"), sa.literal_column(f"{other}_id DESC")]
        op.create_index(f"ix_follows_{who}_created", "follows", columns)
    op.create_table(
        "community_notices",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_community_notices_actor_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("kind", "subject_id", "actor_id", name=op.f("pk_community_notices")),
    )
    op.create_index("ix_community_notices_actor_id", "community_notices", ["actor_id"])
    # a profile's counts and images, read from small partial indexes
    op.create_index(
        "ix_generations_user_feed",
        "generations",
        ["user_id", sa.literal_column("completed_at DESC"), sa.literal_column("id DESC")],
        postgresql_where=sa.text(IN_FEED),
    )
    op.create_index("ix_styles_artist_listed", "styles", ["artist_id"], postgresql_where=sa.text(LISTED))
    # search
    op.execute(TAGS_TEXT)
    op.execute(f"ALTER TABLE styles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({SEARCH_VECTOR}) STORED")
    op.execute(f"ALTER TABLE styles ADD COLUMN search_text text GENERATED ALWAYS AS ({SEARCH_TEXT}) STORED")
    op.create_index(
        "ix_styles_search_vector", "styles", ["search_vector"], postgresql_using="gin", postgresql_where=sa.text(LISTED)
    )
    op.create_index(
        "ix_styles_search_trgm",
        "styles",
        ["search_text"],
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
        postgresql_where=sa.text(LISTED),
    )
    op.execute(
        "CREATE INDEX ix_users_artist_username_trgm ON users USING gin (lower(username) gin_trgm_ops) "
        f"WHERE {ARTISTS}"
    )
    # one or two characters: the start of a username (text_pattern_ops, as the collation is not C)
    op.execute(
        "CREATE INDEX ix_users_artist_username_prefix ON users (lower(username) text_pattern_ops) "
        f"WHERE {ARTISTS}"
    )


def downgrade() -> None:
    op.drop_index("ix_users_artist_username_prefix", table_name="users")
    op.drop_index("ix_users_artist_username_trgm", table_name="users")
    op.drop_index("ix_styles_search_trgm", table_name="styles")
    op.drop_index("ix_styles_search_vector", table_name="styles")
    op.drop_column("styles", "search_text")
    op.drop_column("styles", "search_vector")
    op.execute("DROP FUNCTION studio_tags_text(varchar[])")
    op.drop_index("ix_styles_artist_listed", table_name="styles")
    op.drop_index("ix_generations_user_feed", table_name="generations")
    op.drop_table("community_notices")
    op.drop_table("follows")
    op.drop_table("generation_comments")
    op.drop_table("generation_likes")
    op.drop_constraint(op.f("ck_users_counters"), "users", type_="check")
    op.drop_column("users", "following_count")
    op.drop_column("users", "follower_count")
    op.drop_constraint(op.f("ck_generations_counters"), "generations", type_="check")
    op.drop_column("generations", "comment_count")
    op.drop_column("generations", "like_count")
