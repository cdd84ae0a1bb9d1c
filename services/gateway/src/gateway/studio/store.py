"""The studio's SQL inside a transaction: styles and generations recorded, locked, reported on and read whole."""

import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from gateway.notifications.events import publish_event
from gateway.platform.outbox import add_message
from gateway.studio.models import Generation, Style
from shared.messages import Message

LOADED = (
    joinedload(Generation.style, innerjoin=True),
    joinedload(Generation.artist, innerjoin=True),
    joinedload(Generation.user, innerjoin=True),
)
WITH_ARTIST = joinedload(Style.artist, innerjoin=True)


class StudioStore:
    """Plain methods over styles and generations (ORM objects), inside the caller's transaction."""

    def __init__(self, session):
        self._session = session

    def style(self, style_id: uuid.UUID) -> Style | None:
        return self._session.get(Style, style_id)

    def add_style(self, style: Style) -> None:
        self._session.add(style)
        self._session.flush()

    def style_with_artist(self, style_id: uuid.UUID) -> Style:
        return self._session.scalars(select(Style).options(WITH_ARTIST).where(Style.id == style_id)).one()

    def locked_style_with_artist(self, style_id: uuid.UUID) -> Style | None:
        query = select(Style).options(WITH_ARTIST).where(Style.id == style_id).with_for_update(of=Style)
        return self._session.scalars(query).first()

    def locked_style(self, style_id: uuid.UUID) -> Style | None:
        return self._session.scalars(select(Style).where(Style.id == style_id).with_for_update()).first()

    def add_generation(self, generation: Generation) -> None:
        self._session.add(generation)
        self._session.flush()

    def loaded_generation(self, generation_id: uuid.UUID) -> Generation:
        """The generation with its style, artist and maker."""
        return self._session.scalars(select(Generation).options(*LOADED).where(Generation.id == generation_id)).one()

    def generation_signed(self, signature_id: int) -> Generation | None:
        """The generation (with its style, artist and maker) whose image carries `signature_id`."""
        query = select(Generation).options(*LOADED).where(Generation.signature_id == signature_id)
        return self._session.scalars(query).first()

    def locked_generation(self, generation_id: uuid.UUID) -> Generation | None:
        query = select(Generation).where(Generation.id == generation_id).with_for_update()
        return self._session.scalars(query).first()

    def count_generation(self, style_id: uuid.UUID) -> tuple[str, str]:
        """One more generation made in the style; its (name, visibility) as they are now."""
        style_name, visibility = self._session.execute(
            update(Style)
            .where(Style.id == style_id)
            .values(generation_count=Style.generation_count + 1)
            .returning(Style.name, Style.visibility)
        ).one()
        return style_name, visibility

    def add_message(self, message: Message) -> None:
        add_message(self._session, message)

    def tell(self, user_id: uuid.UUID, event_type: str, facts: dict, subject_id: str) -> None:
        publish_event(self._session, user_id, event_type, facts, subject_id)
