"""Provenance: which generation, style and artist an image came from, read from its invisible signature."""

from typing import Any

from sqlalchemy import select

from gateway.db import UnitOfWork
from gateway.domain.images import BadImage, inspect_image
from gateway.models import Generation
from gateway.services.errors import InvalidInput
from gateway.services.generations import LOADED, MAX_SIGNATURE_ID
from shared import signature

MAX_SIDE = 8192  # larger images are refused before they are decoded


def verify_image(uow: UnitOfWork, data: bytes, key: bytes) -> dict[str, Any]:
    """{found: true, generation, style and artist} for a signed image of this platform; {found: false} otherwise."""
    try:
        inspect_image(data, 1, MAX_SIDE)
    except BadImage as exc:
        raise InvalidInput(f"The file {exc}.", "image") from None
    signature_id = signature.extract(data, key)
    if signature_id is None:
        return {"found": False, "detail": "no signature found"}
    generation = None
    if signature_id <= MAX_SIGNATURE_ID:
        with uow as session:
            query = select(Generation).options(*LOADED).where(Generation.signature_id == signature_id)
            generation = session.scalars(query).first()
    if generation is None:
        return {"found": False, "detail": "the image carries a signature this platform did not issue"}
    return {
        "found": True,
        "generation_id": str(generation.id),
        "style_id": str(generation.style_id),
        "style_name": generation.style.name,
        "artist_id": str(generation.artist_id),
        "artist_username": generation.artist.username,
        "signature_id": str(signature_id),
        "created_at": generation.created_at,
    }
