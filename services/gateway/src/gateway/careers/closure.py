"""What the careers line keeps of an account that closes: nothing.

A career profile, résumés, postings and the AI work on them are their owner's
alone (no one else's record refers to them, unlike a buyer's images of an
artist's style), and full of personal data: the closure deletes them all in
its own transaction, soft-deleted ones included, so nothing can be read, listed,
counted or restored. A photo's object stays in the object store (the storage
port has no delete) but is never served again: photos are private, fetched by
signed URLs that expire within rules.PHOTO_URL_SECONDS. A feedback, interview
or guide still on its way through the llm-worker reports back to a row that is
gone, and the report changes nothing.
"""

import uuid
from datetime import datetime

from gateway.careers.closure_store import ClosureStore
from gateway.platform.db import UnitOfWork


def erase_account(uow: UnitOfWork, user_id: uuid.UUID, now: datetime) -> None:
    """Erase the closing account's careers data (accounts.closure calls it inside its transaction)."""
    uow.store(ClosureStore).erase(user_id)
